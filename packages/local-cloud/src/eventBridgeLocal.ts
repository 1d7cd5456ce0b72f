import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { cloudTrailTime } from './cloudTrailTime';
import { matchesPattern } from './eventPattern';
import type { LocalRequest, LocalResponse, LocalService } from './gateway';
import { awsJsonError } from './gateway';
import { isRecord } from './isRecord';

/** An EventBridge event as delivered to targets. */
export interface BusEvent {
  version: string;
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

/** Any event with the EventBridge envelope, e.g. a CloudTrail envelope. */
export type PublishableEvent = Omit<BusEvent, 'detail'> & { detail: object };

/** Where an event was put: account, region and bus name. */
export interface BusEventMeta {
  account: string;
  region: string;
  eventBusName: string;
}

/** A rule on a bus: every matching event is delivered to `target`. */
export interface BusRule {
  name: string;
  pattern: Record<string, unknown>;
  target: (event: BusEvent, meta: BusEventMeta) => Promise<unknown> | unknown;
  /** Bus the rule is attached to (every account has its own bus of that name). Default `default`. */
  eventBusName?: string;
  /** Only the bus of this account (default: the bus of that name in every account). */
  account?: string;
  /** Only the bus of this region (default: every region). */
  region?: string;
}

/** Options of {@link LocalEventBridge}. */
export interface LocalEventBridgeOptions {
  /** Each matching event is delivered this many times, concurrently (at-least-once). Default 1. */
  duplicateDeliveries?: number;
  /** Called when a target throws (deliveries are fire-and-forget). */
  onTargetError?: (error: unknown, rule: BusRule, event: BusEvent) => void;
}

const MAX_ENTRIES = 10;
const MAX_ENTRY_BYTES = 256 * 1024;

const BUS_ARN = /^arn:aws[\w-]*:events:([^:]+):(\d{12}):event-bus\/(.+)$/;

/** Account, region and name of a bus ARN (`arn:aws:events:REGION:ACCOUNT:event-bus/NAME`), else undefined. */
export const parseBusArn = (arn: string): BusEventMeta | undefined => {
  const [, region, account, eventBusName] = BUS_ARN.exec(arn) ?? [];
  return region === undefined || account === undefined || eventBusName === undefined
    ? undefined
    : { account, region, eventBusName };
};

const busNameFrom = (value: unknown): string => {
  if (typeof value !== 'string' || value === '') return 'default';
  return parseBusArn(value)?.eventBusName ?? value;
};

/**
 * Local EventBridge: serves `AWSEvents.PutEvents`, accepts CloudTrail envelopes through
 * {@link LocalEventBridge.publish}, and delivers matching events to rule targets asynchronously.
 * Emits `event` (event, meta) for every accepted event.
 */
export class LocalEventBridge extends EventEmitter {
  readonly #rules: BusRule[] = [];
  /** Custom buses (`account/region/name`); every account and region has its `default` bus. */
  readonly #buses = new Set<string>();
  readonly #inFlight = new Set<Promise<unknown>>();
  #duplicateDeliveries: number;
  readonly #onTargetError: LocalEventBridgeOptions['onTargetError'];

  constructor(options: LocalEventBridgeOptions = {}) {
    super();
    this.#duplicateDeliveries = Math.max(1, options.duplicateDeliveries ?? 1);
    this.#onTargetError = options.onTargetError;
  }

  /** How many times each matching event is delivered. */
  set duplicateDeliveries(count: number) {
    this.#duplicateDeliveries = Math.max(1, count);
  }

  /** Adds a rule; returns a function that removes it. */
  addRule(rule: BusRule): () => void {
    this.#rules.push(rule);
    return () => {
      const index = this.#rules.indexOf(rule);
      if (index >= 0) this.#rules.splice(index, 1);
    };
  }

  /** Creates a custom bus in an account and region (idempotent): PutEvents accepts its name there. */
  createBus(account: string, region: string, eventBusName: string): void {
    this.#buses.add(`${account}/${region}/${eventBusName}`);
  }

  /**
   * Puts an event (e.g. a CloudTrail envelope) on a bus (`default` unless given) and delivers it. The bus is
   * the one of the event's account and region unless `at` names another (an event sent to another account's
   * bus keeps its own account and region, as EventBridge does).
   */
  publish(event: PublishableEvent, eventBusName = 'default', at?: { account: string; region: string }): void {
    const meta: BusEventMeta = {
      account: at?.account ?? event.account,
      region: at?.region ?? event.region,
      eventBusName,
    };
    this.emit('event', event as BusEvent, meta);
    for (const rule of this.#rules) {
      if ((rule.eventBusName ?? 'default') !== eventBusName) continue;
      if (rule.account !== undefined && rule.account !== meta.account) continue;
      if (rule.region !== undefined && rule.region !== meta.region) continue;
      if (!matchesPattern(rule.pattern, event)) continue;
      for (let copy = 0; copy < this.#duplicateDeliveries; copy++) {
        this.#deliver(rule, event as BusEvent, meta);
      }
    }
  }

  /** Resolves once every delivery started so far (and those they start) has settled. */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) {
      await Promise.allSettled([...this.#inFlight]);
    }
  }

  /** The `AWSEvents` service for the gateway. */
  readonly service: LocalService = async (req: LocalRequest): Promise<LocalResponse> => {
    if (req.operation !== 'PutEvents') {
      return awsJsonError('UnknownOperationException', `Operation ${req.operation} is not supported locally`);
    }
    const entries = isRecord(req.json) ? req.json.Entries : undefined;
    if (!Array.isArray(entries) || entries.length === 0 || entries.length > MAX_ENTRIES) {
      return awsJsonError('ValidationException', `Entries must contain 1 to ${MAX_ENTRIES} items`);
    }
    const results: Record<string, string>[] = [];
    const accepted: { event: BusEvent; bus: string; at: BusEventMeta }[] = [];
    for (const entry of entries) {
      const checked = this.#toEvent(entry, req);
      if ('errorCode' in checked) {
        results.push({ ErrorCode: checked.errorCode, ErrorMessage: checked.errorMessage });
      } else {
        results.push({ EventId: checked.event.id });
        accepted.push(checked);
      }
    }
    setImmediate(() => {
      for (const { event, bus, at } of accepted) this.publish(event, bus, at);
    });
    return {
      status: 200,
      headers: { 'content-type': 'application/x-amz-json-1.1' },
      body: { FailedEntryCount: entries.length - accepted.length, Entries: results },
    };
  };

  #toEvent(
    entry: unknown,
    req: LocalRequest
  ): { event: BusEvent; bus: string; at: BusEventMeta } | { errorCode: string; errorMessage: string } {
    if (!isRecord(entry)) return { errorCode: 'InvalidArgument', errorMessage: 'Entry must be an object' };
    const { Source, DetailType, Detail, Resources, Time, EventBusName } = entry;
    if (typeof Source !== 'string' || Source === '') {
      return {
        errorCode: 'InvalidArgument',
        errorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.',
      };
    }
    if (typeof DetailType !== 'string' || DetailType === '') {
      return {
        errorCode: 'InvalidArgument',
        errorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.',
      };
    }
    if (typeof Detail !== 'string') {
      return {
        errorCode: 'InvalidArgument',
        errorMessage: 'Parameter Detail is not valid. Reason: Detail is a required argument.',
      };
    }
    if (Buffer.byteLength(JSON.stringify(entry)) > MAX_ENTRY_BYTES) {
      return { errorCode: 'InvalidArgument', errorMessage: 'Entry size exceeds 256 KB' };
    }
    let detail: unknown;
    try {
      detail = JSON.parse(Detail);
    } catch {
      detail = undefined;
    }
    if (!isRecord(detail)) {
      return { errorCode: 'MalformedDetail', errorMessage: 'Detail is malformed.' };
    }
    const bus = busNameFrom(EventBusName);
    // A bus ARN may name another account's bus (cross-account PutEvents); a name is the caller's own.
    const owner = typeof EventBusName === 'string' ? parseBusArn(EventBusName) : undefined;
    const at = { account: owner?.account ?? req.account, region: owner?.region ?? req.region, eventBusName: bus };
    if (bus !== 'default' && !this.#buses.has(`${at.account}/${at.region}/${bus}`)) {
      return { errorCode: 'ResourceNotFoundException', errorMessage: `Event bus ${bus} does not exist.` };
    }
    const time =
      typeof Time === 'number' ? new Date(Time * 1000) : typeof Time === 'string' ? new Date(Time) : new Date();
    return {
      bus,
      at,
      event: {
        version: '0',
        id: randomUUID(),
        'detail-type': DetailType,
        source: Source,
        account: req.account,
        time: cloudTrailTime(Number.isNaN(time.getTime()) ? new Date() : time),
        region: req.region,
        resources: Array.isArray(Resources) ? Resources.filter((r): r is string => typeof r === 'string') : [],
        detail,
      },
    };
  }

  #deliver(rule: BusRule, event: BusEvent, meta: BusEventMeta): void {
    const copy = structuredClone(event);
    const delivery = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => rule.target(copy, meta))
      .catch((error: unknown) => this.#onTargetError?.(error, rule, event))
      .finally(() => this.#inFlight.delete(delivery));
    this.#inFlight.add(delivery);
  }
}
