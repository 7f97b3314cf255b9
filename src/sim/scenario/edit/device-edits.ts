/** Rename, delete and move: edits of the device list and links that keep the lab's references whole. */
import type { Lesson } from '../lesson-schema';
import type { Scenario, ScenarioLink } from '../schema';
import { renameInDescriptions, setHostname } from './config-text';
import { nameProblem } from './device-names';
import type { InterfaceRef } from './edit-ops';
import { linkEnd, linkHasEnd } from './link-ends';

export type Edited = { scenario: Scenario } | { error: string };

const noDevice = (device: string): { error: string } => ({ error: `There is no device named "${device}".` });

/** Moves a device on the canvas: positions only. */
export function moveDevice(scenario: Scenario, device: string, x: number, y: number): Edited {
  if (!Number.isFinite(x) || !Number.isFinite(y)) return { error: 'A position must be two finite numbers.' };
  if (!scenario.devices.some((d) => d.name === device)) return noDevice(device);
  return {
    scenario: { ...scenario, devices: scenario.devices.map((d) => (d.name === device ? { ...d, x, y } : d)) },
  };
}

/** Deletes a device and every link it has. */
export function deleteDevice(scenario: Scenario, device: string): Edited {
  if (!scenario.devices.some((d) => d.name === device)) return noDevice(device);
  return {
    scenario: {
      ...scenario,
      devices: scenario.devices.filter((d) => d.name !== device),
      links: scenario.links.filter((l) => linkEnd(l.a)?.device !== device && linkEnd(l.b)?.device !== device),
    },
  };
}

/** Deletes the link that has this end; the configs keep their interfaces and addresses. */
export function deleteLink(scenario: Scenario, end: InterfaceRef): Edited {
  const target = linkEnd(`${end.device} ${end.interface}`);
  const link = target && scenario.links.find((l) => linkHasEnd(l, target));
  if (!link) return { error: `${end.device} ${end.interface} has no link.` };
  return { scenario: { ...scenario, links: scenario.links.filter((l) => l !== link) } };
}

/**
 * Renames a device: its `hostname` line, the links' ends, every `description` line naming it (the article's SP
 * describes each interface by the site's name), and the lessons' device fields.
 */
export function renameDevice(scenario: Scenario, device: string, to: string): Edited {
  if (!scenario.devices.some((d) => d.name === device)) return noDevice(device);
  if (to === device) return { scenario };
  const problem = nameProblem(scenario, to);
  if (problem) return { error: problem };
  const devices = scenario.devices.map((d) => {
    const config = renameInDescriptions(d.name === device ? setHostname(d.config, to) : d.config, device, to);
    return { ...d, name: d.name === device ? to : d.name, config };
  });
  const links = scenario.links.map((l) => renameLink(l, device, to));
  const lessons = scenario.lessons?.map((lesson) => renameInLesson(lesson, device, to));
  return { scenario: { ...scenario, devices, links, ...(lessons ? { lessons } : {}) } };
}

function renameLink(link: ScenarioLink, from: string, to: string): ScenarioLink {
  const end = (text: string): string => {
    const e = linkEnd(text);
    return e?.device === from ? `${to} ${text.trim().slice(from.length).trim()}` : text;
  };
  return { ...link, a: end(link.a), b: end(link.b) };
}

/** The lesson fields that name a device: a check's or action's `device`, `member`, `ks`. */
const DEVICE_FIELDS: ReadonlySet<string> = new Set(['device', 'member', 'ks']);

/** The lesson with every device field naming `from` renamed; a button's `fault` (`mroute:GM-2`) too. */
function renameInLesson(lesson: Lesson, from: string, to: string): Lesson {
  return renameIn(lesson, from, to) as Lesson;
}

function renameIn(value: unknown, from: string, to: string): unknown {
  if (Array.isArray(value)) return value.map((v) => renameIn(v, from, to));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).map(([k, v]): [string, unknown] => {
    if (DEVICE_FIELDS.has(k) && v === from) return [k, to];
    if (k === 'fault' && typeof v === 'string' && v.endsWith(`:${from}`))
      return [k, `${v.slice(0, v.length - from.length)}${to}`];
    return [k, renameIn(v, from, to)];
  });
  // fromEntries defines own properties: a `__proto__` key stays data.
  return Object.fromEntries(entries);
}
