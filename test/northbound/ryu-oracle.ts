// os-ken (the maintained Ryu) as an oracle: its ofctl_v1_3 builds
// messages from Ryu JSON bodies and turns stats replies (hex, parsed by its
// own parser) into ofctl_rest's JSON. Used by ryu-oracle.test.ts and the
// OVS integration test; /usr/bin/python3 is Debian's, which has os_ken.
import { spawnSync } from 'node:child_process';

const PYTHON = '/usr/bin/python3';
const ORACLE = String.raw`
import json, sys
from os_ken.lib import ofctl_v1_3, ofctl_utils
from os_ken.ofproto import ofproto_v1_3 as ofp, ofproto_v1_3_parser as parser, ofproto_parser

class DP:
    ofproto = ofp
    ofproto_parser = parser
    id = 1
    def __init__(self):
        self.sent = []
    def set_xid(self, m):
        m.set_xid(0)
    def send_msg(self, m):
        m.serialize()
        self.sent.append(m.buf.hex())

REPLIES = []
REQUESTS = []
def fake_send_stats_request(dp, stats, waiters, msgs, logger=None):
    stats.set_xid(0)
    stats.serialize()
    REQUESTS.append(stats.buf.hex())
    for h in REPLIES:
        b = bytes.fromhex(h)
        version, msg_type, msg_len, xid = ofproto_parser.header(b)
        msgs.append(ofproto_parser.msg(dp, version, msg_type, msg_len, xid, b))
ofctl_utils.send_stats_request = fake_send_stats_request

out = []
for case in json.load(sys.stdin):
    dp = DP()
    try:
        if case['kind'] == 'mod':
            fn = getattr(ofctl_v1_3, case['fn'])
            if case['fn'] == 'mod_port_behavior':
                fn(dp, case['body'])
            else:
                fn(dp, case['body'], case['cmd'])
            out.append({'hex': dp.sent[0] if dp.sent else None})
        else:
            REPLIES[:] = case['replies']
            REQUESTS[:] = []
            ret = getattr(ofctl_v1_3, case['fn'])(dp, {}, *case.get('args', []))
            out.append({'json': json.dumps(ret, separators=(',', ':')), 'request': REQUESTS[0] if REQUESTS else None})
    except Exception as e:
        out.append({'error': '%s: %s' % (type(e).__name__, e)})
json.dump(out, sys.stdout)
`;

export interface OracleAnswer {
  hex?: string | null;
  json?: string;
  request?: string | null;
  error?: string;
}

export function oracleAvailable(): true | string {
  const r = spawnSync(PYTHON, ['-c', 'import os_ken.lib.ofctl_v1_3'], { encoding: 'utf8' });
  if (r.error) return `${PYTHON} is not available (${r.error.message})`;
  return r.status === 0 ? true : 'os_ken (python3-os-ken) is not installed';
}

export function askOracle(cases: readonly unknown[]): OracleAnswer[] {
  const r = spawnSync(PYTHON, ['-c', ORACLE], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`os-ken oracle failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as OracleAnswer[];
}

