// Anonymous analytics: the core decides whether an event is recorded (signed in, the policy
// readable, not opted out, on the allow-list), whether and what to send, and what becomes of
// the stored queue; this stores and sends what it names.
import { acknowledgeBatch, batchOutcome, enforceSettings, recordEvent, takeBatch } from './pkg/core.js';
import { local } from './browser.js';
import { KEY, currentSettings, exclusive, heldFor, noteHold, nowIso, randomBytes, send, write } from './state.js';
import { refreshSession } from './session.js';

export function record(name, properties) {
  return exclusive(async () => {
    const settings = await currentSettings();
    const stored = await local.get([KEY.analyticsQueue, KEY.session]);
    const recorded = recordEvent(stored[KEY.analyticsQueue] ?? null, name, properties ?? {}, nowIso(), stored[KEY.session] ?? null, settings);
    if (recorded.store) await write({ [KEY.analyticsQueue]: recorded.queue });
  });
}

// Sends one batch if the core says so; the batch is persisted as in flight before it is sent
// and acknowledged after, so a worker stopped in between resends the same batch Id. An expired
// access token is refreshed once and the same batch resent.
export async function flush(onAlarm, refreshed = false) {
  const taken = await exclusive(async () => {
    const settings = await currentSettings();
    if (await heldFor(settings)) return { batch: null }; // the service asked to wait
    const stored = await local.get([KEY.analyticsQueue, KEY.session, KEY.signOutEpoch]);
    const result = takeBatch(stored[KEY.analyticsQueue] ?? null, randomBytes(16), nowIso(), stored[KEY.session] ?? null, settings, onAlarm);
    // The core says what becomes of the stored queue: kept, written (a batch is now in
    // flight), or removed (opted out).
    if (result.store === 'remove') await local.remove(KEY.analyticsQueue);
    else if (result.store === 'write') await write({ [KEY.analyticsQueue]: result.queue });
    return { ...result, epoch: stored[KEY.signOutEpoch] ?? 0 };
  });
  const { batch } = taken;
  if (!batch) return;
  const answer = await send({ url: batch.url, method: 'POST', headers: batch.headers, body: batch.body }).catch(() => null);
  await noteHold(answer, await currentSettings());
  const body = answer ? ((await answer.text().catch(() => '')) ?? '') : '';
  const outcome = batchOutcome(answer?.status ?? 0, body, batch.batchId, refreshed);
  if (outcome === 'acknowledged') {
    await exclusive(async () => {
      const latest = await local.get([KEY.analyticsQueue, KEY.signOutEpoch]);
      if ((latest[KEY.signOutEpoch] ?? 0) !== taken.epoch) return; // signed out meanwhile: the queue is gone
      await write({ [KEY.analyticsQueue]: acknowledgeBatch(latest[KEY.analyticsQueue] ?? null, batch.batchId) });
    });
  } else if (outcome === 'refreshThenResend') {
    const refresh = await refreshSession();
    if (refresh.renewed) await flush(onAlarm, true);
  }
}

// The settings in force, applied to the stored queue (the core's enforceSettings: opted out,
// by the user or the administrator, drops it at once). Returns the whole enforcement, for the
// caller to sign out when it says so.
export function enforceOnQueue(settings) {
  return exclusive(async () => {
    const { [KEY.session]: stored } = await local.get(KEY.session);
    const enforced = enforceSettings(settings, Boolean(stored));
    if (enforced.dropQueue) await local.remove(KEY.analyticsQueue);
    return enforced;
  });
}
