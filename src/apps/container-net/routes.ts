// REST under /api/v1/networks: networks (create, list, inspect, delete)
// and their endpoints (attach a running container, detach it).

import { AppHttpError, type AppRoute, type JsonSchema } from '../../core/apps/app-routes.js';
import type { JsonValue } from '../../core/store/types.js';
import type { ContainerNet } from './container-net.js';
import { NetError } from './types.js';

const error: JsonSchema = { type: 'object', properties: { error: { type: 'string' }, message: { type: 'string' }, details: {} }, required: ['error', 'message'] };
const endpoint: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' }, network: { type: 'string' }, container_id: { type: 'string' }, container_name: { type: 'string' }, mac: { type: 'string' },
    ip: { type: 'string' }, dpid: { type: 'string' }, port_no: { type: 'integer' }, port_name: { type: 'string' }, via: { type: 'string', enum: ['rest', 'docker'] },
  },
};
const network: JsonSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' }, id: { type: 'integer' }, subnet: { type: 'string' }, gateway: { type: 'string' }, bridge: { type: 'string' },
    driver: { type: 'string', enum: ['rest', 'docker'] }, docker_id: { type: 'string' }, endpoints: { type: 'array', items: endpoint },
  },
};
const nameParam: JsonSchema = { type: 'object', properties: { name: { type: 'string', minLength: 1, maxLength: 64 } }, required: ['name'] };
const IPV4 = '^(\\d{1,3}\\.){3}\\d{1,3}$';

/** A model refusal as the HTTP error the northbound renders. */
async function http<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof NetError) throw new AppHttpError(e.status, e.code, e.message);
    throw e;
  }
}

const body = (v: unknown): JsonValue => v as JsonValue;

export const routes: AppRoute<ContainerNet>[] = [
  {
    method: 'GET', url: '/networks', summary: 'List container networks with their endpoints',
    schema: { response: { 200: { type: 'object', properties: { networks: { type: 'array', items: network } } } } },
    handler: (app) => ({ body: body({ networks: app.store.networks().map((n) => app.view(n)) }) }),
  },
  {
    method: 'POST', url: '/networks', summary: 'Create a container network (an IPv4 subnet, isolated from every other network)',
    schema: {
      body: {
        type: 'object', additionalProperties: false, required: ['name', 'subnet'],
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 63 },
          subnet: { type: 'string', description: 'IPv4 CIDR, e.g. 10.20.0.0/24' },
          gateway: { type: 'string', pattern: IPV4, description: 'default: the first address of the subnet' },
          bridge: { type: 'string', pattern: '^[a-zA-Z0-9_.-]{1,15}$', description: 'an existing OVS bridge; default: the app\'s own' },
        },
      },
      response: { 201: network, 400: error, 409: error },
    },
    handler: async (app, req) => ({ status: 201, body: body(await http(app.createNetwork(req.body as { name: string; subnet: string; gateway?: string; bridge?: string }))) }),
  },
  {
    method: 'GET', url: '/networks/:name', summary: 'One container network (by name or Docker network id) with its endpoints',
    schema: { params: nameParam, response: { 200: network, 404: error } },
    handler: async (app, req) => ({ body: body(app.view(await http(Promise.resolve().then(() => app.store.get(req.params.name!))))) }),
  },
  {
    method: 'DELETE', url: '/networks/:name', summary: 'Delete a container network without endpoints',
    schema: { params: nameParam, response: { 204: { type: 'null' }, 404: error, 409: error } },
    handler: async (app, req) => {
      await http(app.deleteNetwork(req.params.name!));
      return { status: 204 };
    },
  },
  {
    method: 'POST', url: '/networks/:name/endpoints', summary: 'Attach a running container (name or id; --network none ones too)',
    schema: {
      params: nameParam,
      body: {
        type: 'object', additionalProperties: false, required: ['container'],
        properties: { container: { type: 'string', minLength: 1, maxLength: 128 }, ip: { type: 'string', pattern: IPV4, description: 'default: the lowest free address' } },
      },
      response: { 201: endpoint, 400: error, 404: error, 409: error },
    },
    handler: async (app, req) => ({ status: 201, body: body(await http(app.attach(req.params.name!, req.body as { container: string; ip?: string }))) }),
  },
  {
    method: 'DELETE', url: '/networks/:name/endpoints/:endpoint', summary: 'Detach a container (by name, container id, endpoint id or address) and free its address',
    schema: {
      params: { type: 'object', properties: { name: { type: 'string', minLength: 1 }, endpoint: { type: 'string', minLength: 1 } }, required: ['name', 'endpoint'] },
      response: { 204: { type: 'null' }, 404: error, 409: error },
    },
    handler: async (app, req) => {
      await http(app.detach(req.params.name!, req.params.endpoint!));
      return { status: 204 };
    },
  },
];
