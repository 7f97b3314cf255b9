// The worker bridge: one queue of calls, Stop offered for a long call, every pending call failed when the
// worker dies, and a fresh queue after a restart.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BUSY_AFTER_MS, WorkerGoneError } from './bridge';
import { createSimStore } from './compose';
import { fakeEnv, portOver, smallRecording } from './fake-env.test-support';
import { replayApi } from './replay-worker';

/** A worker whose `lab()` calls wait until the test releases them, in order. */
function slowPort() {
  const releases: (() => void)[] = [];
  const port = portOver(() => ({
    ...replayApi(smallRecording()),
    lab: () => new Promise((resolve) => releases.push(() => resolve(undefined))),
  }));
  return { port, releases };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the worker bridge', () => {
  it('runs calls one after another: a call starts only when the one before it settled', async () => {
    const { port, releases } = slowPort();
    const store = createSimStore(fakeEnv(port));
    const order: string[] = [];
    const first = store.getState().call(async (api) => {
      order.push('first starts');
      await api.lab();
      order.push('first ends');
    });
    const second = store.getState().call(async () => void order.push('second starts'));
    await new Promise((r) => setTimeout(r, 0));
    expect(order).toEqual(['first starts']);
    expect(store.getState().workPending()).toBe(true);
    releases.shift()!();
    await Promise.all([first, second]);
    expect(order).toEqual(['first starts', 'first ends', 'second starts']);
    expect(store.getState().workPending()).toBe(false);
  });

  it('a call that throws does not stop the queue', async () => {
    const store = createSimStore(fakeEnv(portOver(() => replayApi(smallRecording()))));
    await expect(store.getState().call(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(store.getState().call(async () => 42)).resolves.toBe(42);
  });

  it('offers Stop when a call runs long, and withdraws it when the call ends', async () => {
    vi.useFakeTimers();
    const { port, releases } = slowPort();
    const store = createSimStore(fakeEnv(port));
    const call = store.getState().call((api) => api.lab());
    await vi.advanceTimersByTimeAsync(BUSY_AFTER_MS - 1);
    expect(store.getState().busy).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(store.getState().busy).toBe(true);
    releases.shift()!();
    await call;
    expect(store.getState().busy).toBe(false);
  });

  it('a crash fails every pending call at once and says what happened', async () => {
    const { port } = slowPort();
    const store = createSimStore(fakeEnv(port));
    const pending = store.getState().call((api) => api.lab());
    port.crash('out of memory');
    await expect(pending).rejects.toBeInstanceOf(WorkerGoneError);
    expect(store.getState().failure).toBe('The simulator crashed: out of memory');
  });

  it('a restart replaces the worker: the new queue does not wait for calls the old one never answers', async () => {
    const { port } = slowPort();
    const store = createSimStore(fakeEnv(port));
    const hung = store.getState().call((api) => api.lab());
    store.getState().restartWorker('stopped: the simulator was restarted');
    await expect(hung).rejects.toThrow('stopped: the simulator was restarted');
    expect(port.restarts).toBe(1);
    await expect(store.getState().call(async () => 'fresh')).resolves.toBe('fresh');
    expect(store.getState().failure).toBeUndefined();
    expect(store.getState().busy).toBe(false);
  });
});
