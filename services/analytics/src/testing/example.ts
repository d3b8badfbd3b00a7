import type { History, HistoryStep, HistoryTask } from './history.js';
import { newId } from './fixtures.js';

/**
 * The example of REQUIREMENTS N3 as a history: tasks completed on 01.03 (the most expensive
 * $23), 02.03 ($38, twice — the earlier completion wins) and 03.03 ($28), so that "03.03 — $28;
 * 02.03 — $38; 01.03 — $23; 01.03–03.03 — $38". 01.03 and 02.03 are closed; Polly ends 02.03
 * in the negative. `days` moves it to three other consecutive days (e.g. ending today).
 */
export const requirementsExample = (
  days: readonly [string, string, string] = ['2026-03-01', '2026-03-02', '2026-03-03'],
) => {
  const [polly, kiwi] = [newId(), newId()];
  const task = (title: string, reward: number, fee: number, jiraId: string | null = null): HistoryTask => ({
    id: newId(),
    title,
    jiraId,
    fee: fee * 100,
    reward: reward * 100,
    createdVersion: jiraId === null ? 2 : 1,
  });
  const tasks = {
    seeds: task('Sort the sunflower seeds', 23, 12, 'UBERPOP-1'),
    perch: task('Polish the perch', 21, 15),
    guide: task('Write the onboarding guide', 38, 14, 'UBERPOP-42'),
    swing: task('Untangle the swing', 38, 11),
    mirror: task('Clean the mirror', 20, 19),
    millet: task('Refill the millet', 28, 10),
    bell: task('Tune the bell', 25, 16),
  };
  const dayOf = { '01': days[0], '02': days[1], '03': days[2] };
  const at = (day: keyof typeof dayOf, time: string) => new Date(`${dayOf[day]}T${time}:00.000Z`);
  const step = (kind: HistoryStep['kind'], t: HistoryTask, accountId: string, when: Date): HistoryStep => ({
    kind,
    taskId: t.id,
    accountId,
    at: when,
  });
  const steps: HistoryStep[] = [
    step('assign', tasks.seeds, polly, at('01', '09:00')),
    step('assign', tasks.perch, kiwi, at('01', '09:10')),
    step('complete', tasks.seeds, polly, at('01', '15:00')),
    step('complete', tasks.perch, kiwi, at('01', '16:00')),
    step('assign', tasks.guide, kiwi, at('02', '09:00')),
    step('assign', tasks.swing, kiwi, at('02', '09:30')),
    step('assign', tasks.mirror, polly, at('02', '09:45')),
    step('assign', tasks.millet, polly, at('02', '10:00')),
    step('complete', tasks.guide, kiwi, at('02', '11:00')),
    step('complete', tasks.swing, kiwi, at('02', '12:00')),
    step('complete', tasks.mirror, polly, at('02', '13:00')),
    step('assign', tasks.bell, kiwi, at('03', '08:00')),
    step('complete', tasks.millet, polly, at('03', '10:00')),
    step('complete', tasks.bell, kiwi, at('03', '11:00')),
  ];
  const history: History = { tasks: Object.values(tasks), steps, closedDays: [days[0], days[1]] };
  return { history, tasks, accounts: { polly, kiwi } };
};
