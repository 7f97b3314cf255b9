// Attaches protocol services to routers by iterating the registry (issue 16). A service attaches where its
// descriptor's `enabledBy` holds for the router's config — at boot or at the first reconcile after a config
// change enables it — after the services it `requires`, and stays attached (its own reconcile reads the config
// each time, as an IOS process does). `router.modules` is kept in registry order so reconcile order never
// depends on when a service arrived.
import type { Router } from '../device/router';
import { boundFn } from '../kernel/bound';
import type { ProtocolDescriptor, ServiceLookup } from './descriptor';
import { PROTOCOLS } from './registry';
import { recordService, serviceOf } from './services';

/**
 * Attaches the protocols a freshly built router's config enables, and from then on those a config change
 * enables. `protocols` is the registry; tests pass their own list.
 */
export function attachProtocols(router: Router, protocols: readonly ProtocolDescriptor[] = PROTOCOLS): void {
  attachEnabled(router, protocols);
  for (const p of protocols) if (!serviceOf(router, p.id)) p.service?.dormant?.(router);
  // The hook is data a checkpoint can copy (kernel/bound.ts). The registry is not bound into it (the module
  // has it); a test's own list is frozen, so that a copy shares its descriptors rather than copying them.
  router.onBeforeReconcile(
    protocols === PROTOCOLS
      ? boundFn(attachEnabled, router)
      : boundFn(
          attachEnabled,
          router,
          Object.isFrozen(protocols) ? protocols : Object.freeze([...protocols]),
        ),
  );
}

/** Exported so a saved moment can name it (a router's attach hook is bound to it: snapshot-codec.ts). */
export function attachEnabled(router: Router, protocols: readonly ProtocolDescriptor[] = PROTOCOLS): void {
  const wanted = new Set<string>();
  const want = (p: ProtocolDescriptor | undefined): void => {
    if (!p?.service || wanted.has(p.id) || serviceOf(router, p.id)) return;
    wanted.add(p.id);
    for (const id of p.service.requires ?? []) want(protocols.find((q) => q.id === id));
  };
  for (const p of protocols) if (p.service?.enabledBy?.(router.config) ?? true) want(p);
  if (wanted.size === 0) return;
  // Built in registry order, dependencies included, so construction order (timers, hooks) is registry order.
  for (const p of protocols) if (wanted.has(p.id)) attach(router, p, protocols);
  sortModules(router, protocols);
}

function attach(router: Router, p: ProtocolDescriptor, protocols: readonly ProtocolDescriptor[]): object {
  const existing = serviceOf(router, p.id);
  if (existing) return existing;
  if (!p.service) throw new Error(`${p.id} has no service to attach`);
  const lookup: ServiceLookup = {
    required: <S extends object>(id: string): S => {
      const need = protocols.find((q) => q.id === id);
      if (!need) throw new Error(`${p.id} requires ${id}, which is not registered`);
      return attach(router, need, protocols) as S;
    },
  };
  // `create` asks for what it requires through `lookup`; `attachEnabled` built those first (registry order).
  const service = p.service.create(router, lookup);
  recordService(router, p.id, service);
  return service;
}

/**
 * Puts `router.modules` in registry order. A stable sort; a module no service owns (a protocol's helper that
 * pushed itself) keeps the rank of the module before it, so it stays beside its protocol.
 */
function sortModules(router: Router, protocols: readonly ProtocolDescriptor[]): void {
  const owner = new Map<object, number>();
  protocols.forEach((p, rank) => {
    const s = serviceOf(router, p.id);
    if (s) owner.set(s, rank);
  });
  let previous = -1;
  const ranked = router.modules.map((m, i) => {
    previous = owner.get(m) ?? previous;
    return { m, i, rank: previous };
  });
  ranked.sort((a, b) => a.rank - b.rank || a.i - b.i);
  router.modules.splice(0, router.modules.length, ...ranked.map((r) => r.m));
}
