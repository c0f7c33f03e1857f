// Decoded and encoded by the experimenter kind of the multipart registry (messages/multipart.ts).

/** OFPMP_EXPERIMENTER body, request and reply alike (ofp_experimenter_multipart_header, OF 1.3.5 §7.3.5.15). */
export interface ExperimenterBody {
  readonly type: 'experimenter';
  readonly experimenter: number;
  readonly exp_type: number;
  /** Everything after the header, as sent. */
  readonly data: Buffer;
}
