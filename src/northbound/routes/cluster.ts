import type { RouteModule } from './route.js';

const nullable = (schema: object): object => ({ anyOf: [schema, { type: 'null' }] });

const member = {
  type: 'object',
  additionalProperties: false,
  required: ['node_id', 'since', 'self'],
  properties: {
    node_id: { type: 'string', description: 'The instance\'s --node-id.' },
    openflow: { type: 'string', description: 'host:port where switches connect to it.' },
    api: { type: 'string', description: 'host:port of its REST API.' },
    flow_generation: { type: 'integer', minimum: 0, maximum: 65535, description: 'The generation its flow cookies carry (bits 31..16): tells which instance installed a flow in a dump.' },
    since: { type: 'number', description: 'When it joined (ms since the epoch).' },
    self: { type: 'boolean', description: 'This instance.' },
  },
};

const clusterSwitch = {
  type: 'object',
  additionalProperties: false,
  required: ['dpid', 'master', 'generation', 'role', 'candidates'],
  properties: {
    dpid: { type: 'string', pattern: '^[0-9a-f]{16}$' },
    master: { ...nullable({ type: 'string' }), description: 'Node id of the elected master (null without a cluster, or while none is elected).' },
    generation: { ...nullable({ type: 'string', pattern: '^[0-9]+$' }), description: 'The master\'s OFPT_ROLE_REQUEST generation id, decimal (the etcd revision of its election).' },
    role: {
      type: 'string', enum: ['master', 'slave', 'equal', 'pending', 'none'],
      description: 'This instance\'s role: master/slave as the switch confirmed; equal without a cluster (no role request is sent); pending while connected and not yet settled (not writing); none when the switch is not connected here.',
    },
    candidates: { type: 'array', items: { type: 'string' }, description: 'Instances the switch is connected to.' },
  },
};

/** Members, which instance masters which switch, and this instance's roles; the same shape without a cluster. */
export const clusterRoutes: RouteModule = (app, { core }) => {
  app.get('/cluster', {
    schema: {
      tags: ['cluster'],
      summary: 'Cluster members and switch mastership',
      description: 'With `--cluster`: the members registered in etcd, every switch some member sees with its elected master and generation id, and this instance\'s role for it. '
        + 'Without: `mode` "single", `node_id` and `etcd_reachable` null, no members, and every connected switch with role "equal" (OpenFlow\'s default: no role request is sent).',
      response: {
        200: {
          type: 'object',
          additionalProperties: false,
          required: ['mode', 'node_id', 'etcd_reachable', 'members', 'switches'],
          properties: {
            mode: { type: 'string', enum: ['single', 'etcd'] },
            node_id: nullable({ type: 'string' }),
            etcd_reachable: nullable({ type: 'boolean' }),
            members: { type: 'array', items: member },
            switches: { type: 'array', items: clusterSwitch },
          },
        },
      },
    },
  }, async () => core.cluster.snapshot());
};
