// Public surface of the OpenFlow 1.3 codec. Framer (bytes → frames), codec
// (frame ⇄ message) and, later, the channel never mix.
export { CodecError, isCodecError, type CodecErrorKind } from './codec-error.js';
export { Reader } from './reader.js';
export { Writer } from './writer.js';
export { Framer, MAX_FRAME } from './framer.js';
export { decodeMessage, tryDecode, encodeMessage, encodeInto, isOfpType, type DecodeResult } from './codec.js';
export { toJsonText, toJsonValue, messageFromJson } from './json.js';
export type { OfpMessage, OfpType, MessageOf } from './message.js';
export * from './common.js';
