/**
 * `StartReplay` and `DescribeReplay` without the transport, in AWS's JSON 1.1 shapes: a replay sends
 * an archive's events received in [EventStartTime, EventEndTime) to the archive's bus again, each
 * with a `replay-name` field. Locally a replay is dispatched at once, so it is COMPLETED when
 * StartReplay answers (on AWS it goes STARTING → RUNNING → COMPLETED over minutes); the deliveries
 * themselves are asynchronous as usual. `Destination.FilterArns` is not supported (all rules).
 */
import type { EventBridgeEvent } from "./event-envelope";
import type { EventArchive } from "./archive";
import { isPlainObject } from "./pattern-leaf";

export class ReplayRequestError extends Error {
  override readonly name = "ReplayRequestError";
  constructor(
    readonly type:
      | "ValidationException"
      | "ResourceNotFoundException"
      | "ResourceAlreadyExistsException"
      | "SerializationException",
    message: string,
  ) {
    super(message);
  }
}

export type ReplayedEvent = EventBridgeEvent & { "replay-name": string };

interface Replay {
  ReplayName: string;
  ReplayArn: string;
  Description?: string;
  State: "COMPLETED";
  EventSourceArn: string;
  Destination: { Arn: string };
  EventStartTime: number;
  EventEndTime: number;
  EventLastReplayedTime?: number;
  ReplayStartTime: number;
  ReplayEndTime: number;
}

export interface ReplayContext {
  account: string;
  region: string;
  now: () => Date;
  archives: readonly EventArchive[];
  /** Sends replayed events to the rules of `busName`. */
  dispatch: (busName: string, events: ReplayedEvent[]) => void;
}

/** Replays remembered for DescribeReplay, oldest forgotten first. */
const MAX_REPLAYS = 100;
const REPLAY_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;

const epochSeconds = (date: Date) => date.getTime() / 1000;
export const archiveArn = (ctx: { region: string; account: string }, name: string) =>
  `arn:aws:events:${ctx.region}:${ctx.account}:archive/${name}`;
export const eventBusArn = (ctx: { region: string; account: string }, name: string) =>
  `arn:aws:events:${ctx.region}:${ctx.account}:event-bus/${name}`;

export class Replays {
  readonly #replays = new Map<string, Replay>();

  constructor(private readonly ctx: ReplayContext) {}

  start(body: unknown): { ReplayArn: string; State: string; ReplayStartTime: number } {
    const request = object(body);
    const name = string(request, "ReplayName");
    if (!REPLAY_NAME.test(name))
      throw validation(`Parameter ReplayName is not valid. Reason: it must match ${REPLAY_NAME.source}.`);
    if (this.#replays.has(name))
      throw new ReplayRequestError("ResourceAlreadyExistsException", `Replay ${name} already exists.`);
    const sourceArn = string(request, "EventSourceArn");
    const archive = this.ctx.archives.find((a) => archiveArn(this.ctx, a.config.name) === sourceArn);
    if (!archive) throw new ReplayRequestError("ResourceNotFoundException", `Archive ${sourceArn} does not exist.`);
    const start = time(request, "EventStartTime");
    const end = time(request, "EventEndTime");
    if (start >= end)
      throw validation("Parameter EventStartTime is not valid. Reason: EventStartTime must be before EventEndTime.");
    const destination = isPlainObject(request.Destination) ? request.Destination : undefined;
    const destinationArn = destination && typeof destination.Arn === "string" ? destination.Arn : undefined;
    if (!destinationArn)
      throw validation("Parameter Destination.Arn is not valid. Reason: Destination.Arn is a required argument.");
    if (destinationArn !== eventBusArn(this.ctx, archive.config.busName)) {
      throw validation(
        `Parameter Destination.Arn is not valid. Reason: events of archive ${archive.config.name} can only be replayed to ${eventBusArn(this.ctx, archive.config.busName)}.`,
      );
    }

    const startedAt = this.ctx.now();
    const events = archive
      .between(start, end)
      .map(({ event }): ReplayedEvent => ({ ...structuredClone(event), "replay-name": name }));
    this.ctx.dispatch(archive.config.busName, events);
    const replay: Replay = {
      ReplayName: name,
      ReplayArn: `arn:aws:events:${this.ctx.region}:${this.ctx.account}:replay/${name}`,
      ...(typeof request.Description === "string" && { Description: request.Description }),
      State: "COMPLETED",
      EventSourceArn: sourceArn,
      Destination: { Arn: destinationArn },
      EventStartTime: epochSeconds(start),
      EventEndTime: epochSeconds(end),
      ...(events.length > 0 && { EventLastReplayedTime: epochSeconds(this.ctx.now()) }),
      ReplayStartTime: epochSeconds(startedAt),
      ReplayEndTime: epochSeconds(this.ctx.now()),
    };
    this.#replays.set(name, replay);
    if (this.#replays.size > MAX_REPLAYS) this.#replays.delete(this.#replays.keys().next().value!);
    return { ReplayArn: replay.ReplayArn, State: replay.State, ReplayStartTime: replay.ReplayStartTime };
  }

  describe(body: unknown): Replay {
    const name = string(object(body), "ReplayName");
    const replay = this.#replays.get(name);
    if (!replay) throw new ReplayRequestError("ResourceNotFoundException", `Replay ${name} does not exist.`);
    return replay;
  }
}

const validation = (message: string) => new ReplayRequestError("ValidationException", message);

function object(body: unknown): Record<string, unknown> {
  if (!isPlainObject(body))
    throw new ReplayRequestError("SerializationException", "The request body must be a JSON object.");
  return body;
}

function string(request: Record<string, unknown>, field: string): string {
  const value = request[field];
  if (typeof value !== "string" || value === "")
    throw validation(`Parameter ${field} is not valid. Reason: ${field} is a required argument.`);
  return value;
}

/** JSON 1.1 timestamps are epoch seconds (the SDK sends numbers); ISO strings are accepted too. */
function time(request: Record<string, unknown>, field: string): Date {
  const value = request[field];
  const date =
    typeof value === "number"
      ? new Date(value * 1000)
      : typeof value === "string"
        ? new Date(/^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : value)
        : undefined;
  if (!date || Number.isNaN(date.getTime()))
    throw validation(`Parameter ${field} is not valid. Reason: ${field} must be a timestamp.`);
  return date;
}
