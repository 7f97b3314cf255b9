// The central story as console lines (`[seconds, device, line]`): GM-2's static mroute removed at 320 s (its RPF
// check toward the KS fails and it misses the rekeys) and put back at 1,000 s. Shared by the trace-hash bench
// and the checkpoint tests.
export const MROUTE_STORY: readonly (readonly [number, string, string])[] = [
  [320, 'GM-2', 'configure terminal'],
  [320, 'GM-2', 'no ip mroute 1.1.1.1 255.255.255.255 192.168.100.1'],
  [320, 'GM-2', 'end'],
  [1000, 'GM-2', 'configure terminal'],
  [1000, 'GM-2', 'ip mroute 1.1.1.1 255.255.255.255 192.168.100.1'],
  [1000, 'GM-2', 'end'],
];
