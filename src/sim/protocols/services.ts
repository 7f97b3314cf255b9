// Which protocol services run on which router (issue 16). A leaf module: protocol code asks it for a service
// by descriptor id (`pimOf(router)` is `serviceOf<PimService>(router, 'pim')`), and `attach.ts`, which
// imports every descriptor through the registry, is the only writer. Keeping the two apart is what lets a
// protocol's CLI reach its service without an import cycle through the registry.
// The services themselves are kept on the router (`router.services`), so a checkpoint's copy of it has them.
import type { Router } from '../device/router';

/** The service protocol `id` runs on `router`, or undefined when its config does not enable it there. */
export function serviceOf<S extends object>(router: Router, id: string): S | undefined {
  return router.services.get(id) as S | undefined;
}

/** Ids of the services attached to `router`, in attach order. */
export function attachedServiceIds(router: Router): string[] {
  return [...router.services.keys()];
}

/** Records a service attached by `attach.ts`. */
export function recordService(router: Router, id: string, service: object): void {
  router.services.set(id, service);
}

/**
 * The service of a protocol whose descriptor has no `enabledBy`, hence runs on every router (ICMP, IGMP, PIM):
 * absent only if the router was built without `attachProtocols`, a programming error.
 */
export function everywhereServiceOf<S extends object>(router: Router, id: string): S {
  const s = serviceOf<S>(router, id);
  if (!s) throw new Error(`${id} is not attached to ${router.name}`);
  return s;
}
