import type { Hello } from './messages/hello.js';
import type { ErrorMsg } from './messages/error.js';
import type { EchoReply, EchoRequest } from './messages/echo.js';
import type { ExperimenterMsg } from './messages/experimenter.js';
import type { EmptyMsg } from './messages/empty.js';
import type { FeaturesReply } from './messages/features.js';
import type { SwitchConfig } from './messages/switch-config.js';
import type { PacketIn } from './messages/packet-in.js';
import type { FlowRemoved } from './messages/flow-removed.js';
import type { PortStatus } from './messages/port-status.js';
import type { PacketOut } from './messages/packet-out.js';
import type { FlowMod } from './messages/flow-mod.js';
import type { GroupMod } from './messages/group-mod.js';
import type { PortMod } from './messages/port-mod.js';
import type { TableMod } from './messages/table-mod.js';
import type { MultipartReply, MultipartRequest } from './messages/multipart.js';
import type { QueueGetConfigReply, QueueGetConfigRequest } from './messages/queue-config.js';
import type { RoleMsg } from './messages/role.js';
import type { AsyncConfig } from './messages/async-config.js';
import type { MeterMod } from './messages/meter-mod.js';

/** Every OpenFlow 1.3 message, discriminated by `type` (the ofp_type name). */
export type OfpMessageBody =
  | Hello
  | ErrorMsg
  | EchoRequest
  | EchoReply
  | ExperimenterMsg
  | EmptyMsg<'features_request'>
  | FeaturesReply
  | EmptyMsg<'get_config_request'>
  | SwitchConfig<'get_config_reply'>
  | SwitchConfig<'set_config'>
  | PacketIn
  | FlowRemoved
  | PortStatus
  | PacketOut
  | FlowMod
  | GroupMod
  | PortMod
  | TableMod
  | MultipartRequest
  | MultipartReply
  | EmptyMsg<'barrier_request'>
  | EmptyMsg<'barrier_reply'>
  | QueueGetConfigRequest
  | QueueGetConfigReply
  | RoleMsg<'role_request'>
  | RoleMsg<'role_reply'>
  | EmptyMsg<'get_async_request'>
  | AsyncConfig<'get_async_reply'>
  | AsyncConfig<'set_async'>
  | MeterMod;

/**
 * Non-zero padding bytes as they arrived, by message offset (hex). Present
 * only when a peer sent them; lets encode(decode(b)) reproduce b exactly.
 */
export interface PaddingRecord {
  readonly padding?: Readonly<Record<string, string>>;
}

export type OfpMessage = OfpMessageBody & PaddingRecord;
export type OfpType = OfpMessage['type'];
export type MessageOf<T extends OfpType> = Extract<OfpMessage, { type: T }>;
