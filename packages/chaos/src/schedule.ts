import { seededRandom } from '@ates/cli/random';

export const services = ['auth', 'tracker', 'accounting', 'analytics'] as const;
export type Service = (typeof services)[number];

/** One fault, `atS` seconds after the work starts, lasting `forS` seconds (0: instantaneous). */
export type Fault =
  | {
      readonly kind: 'kill';
      readonly atS: number;
      readonly forS: 0;
      readonly service: Service;
      readonly instance: number;
    }
  | { readonly kind: 'kill-relay-holder'; readonly atS: number; readonly forS: 0; readonly service: Service }
  | { readonly kind: 'restart-postgres'; readonly atS: number; readonly forS: number }
  | { readonly kind: 'restart-rabbitmq'; readonly atS: number; readonly forS: number }
  | { readonly kind: 'cut-links'; readonly atS: number; readonly forS: number; readonly service: Service }
  | { readonly kind: 'stop-auth'; readonly atS: number; readonly forS: number }
  | { readonly kind: 'kill-during-close'; readonly atS: number; readonly forS: 0 };

export interface ScheduleOptions {
  readonly seed: number;
  readonly durationS: number;
  readonly instances: number;
  readonly rabbitmq: boolean;
  /** When the business day ends (seconds after the start): accounting is killed in its close. */
  readonly dayEndS: number;
}

/**
 * The faults of a run, drawn from the seed. Every round (one per 5 minutes, at least one) has a
 * SIGKILL of a process of each service, the relay holder of two services killed, PostgreSQL
 * restarted, RabbitMQ restarted (when the run is on it), the links of two services cut for 10–30 s;
 * once per run, auth is stopped for a minute and accounting is killed in the day close. They
 * fall between 10 % and 80 % of the run, so that the last fifth shows the system recovering
 * under load. Faults may overlap: that is part of the test.
 */
export const faultSchedule = (options: ScheduleOptions): Fault[] => {
  const random = seededRandom(options.seed ^ 0x5eed);
  const rounds = Math.max(1, Math.floor(options.durationS / 300));
  // The rounds share 10 %–80 % of the run between them, one slice each.
  const span = (0.7 * options.durationS) / rounds;
  const faults: Fault[] = [];
  for (let round = 0; round < rounds; round++) {
    const from = 0.1 * options.durationS + round * span;
    const to = from + span;
    /** A start between `from` and `to` at which a fault of `forS` seconds still ends inside the run. */
    const at = (forS = 0) =>
      Math.round(from + random.next() * Math.max(0, Math.min(to, 0.95 * options.durationS - forS) - from));
    for (const service of services)
      faults.push({ kind: 'kill', atS: at(), forS: 0, service, instance: random.int(0, options.instances - 1) });
    const relayServices = [...services].sort(() => random.next() - 0.5).slice(0, 2);
    for (const service of relayServices) faults.push({ kind: 'kill-relay-holder', atS: at(), forS: 0, service });
    const down = random.int(2, 8);
    faults.push({ kind: 'restart-postgres', atS: at(down), forS: down });
    if (options.rabbitmq) {
      const stopped = random.int(5, 15);
      faults.push({ kind: 'restart-rabbitmq', atS: at(stopped), forS: stopped });
    }
    for (let i = 0; i < 2; i++) {
      const cut = random.int(10, 30);
      faults.push({ kind: 'cut-links', atS: at(cut), forS: cut, service: random.pick(services) });
    }
  }
  const authStop = Math.min(60, Math.round(options.durationS / 3));
  faults.push({
    kind: 'stop-auth',
    atS: Math.round(0.1 * options.durationS + random.next() * Math.max(1, 0.7 * options.durationS - authStop)),
    forS: authStop,
  });
  faults.push({ kind: 'kill-during-close', atS: options.dayEndS, forS: 0 });
  return faults.sort((a, b) => a.atS - b.atS);
};

/** What a fault makes unavailable: requests to these services may fail while it lasts. */
export const affects = (fault: Fault): readonly Service[] => {
  switch (fault.kind) {
    case 'kill':
    case 'kill-relay-holder':
    case 'cut-links':
      return [fault.service];
    case 'stop-auth':
      return ['auth'];
    case 'kill-during-close':
      return ['accounting'];
    case 'restart-postgres':
    case 'restart-rabbitmq':
      return services;
  }
};

export const describeFault = (fault: Fault): string => {
  switch (fault.kind) {
    case 'kill':
      return `SIGKILL ${fault.service} instance ${fault.instance + 1}`;
    case 'kill-relay-holder':
      return `SIGKILL the process holding ${fault.service}'s relay lock`;
    case 'restart-postgres':
      return `restart the embedded PostgreSQL (down ${fault.forS} s)`;
    case 'restart-rabbitmq':
      return `rabbitmqctl stop_app, start_app after ${fault.forS} s`;
    case 'cut-links':
      return `cut ${fault.service}'s database and transport links for ${fault.forS} s`;
    case 'stop-auth':
      return `stop auth for ${fault.forS} s`;
    case 'kill-during-close':
      return 'SIGKILL accounting in the middle of the day close';
  }
};
