import { z } from 'zod';

/**
 * The OpenAPI document is assembled from the same zod schemas the routes validate
 * with, so the published contract cannot drift from what the code accepts.
 */
export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI path template, e.g. `/2.5/sp_spec/sales_leads/{orderId}`. */
  path: string;
  tag: string;
  summary: string;
  security?: 'basic' | 'bearer';
  body?: z.ZodType;
  headers?: Record<string, string>;
  /** Query parameters: name → description (all optional strings on the wire). */
  query?: Record<string, string>;
  responses: Record<number, { description: string; schema?: z.ZodType }>;
}

export class OpenApiRegistry {
  private readonly operations: Operation[] = [];

  add(op: Operation): void {
    this.operations.push(op);
  }

  document(): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const op of this.operations) {
      const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
        name: m[1],
        in: 'path',
        required: true,
        schema: { type: 'string' },
      }));
      const headerParams = Object.entries(op.headers ?? {}).map(([name, description]) => ({
        name,
        in: 'header',
        required: false,
        description,
        schema: { type: 'string' },
      }));
      const queryParams = Object.entries(op.query ?? {}).map(([name, description]) => ({
        name,
        in: 'query',
        required: false,
        description,
        schema: { type: 'string' },
      }));
      paths[op.path] ??= {};
      paths[op.path]![op.method] = {
        tags: [op.tag],
        summary: op.summary,
        ...(op.security ? { security: [{ [op.security]: [] }] } : {}),
        parameters: [...params, ...queryParams, ...headerParams],
        ...(op.body
          ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body, 'input') } } } }
          : {}),
        responses: Object.fromEntries(
          Object.entries(op.responses).map(([status, r]) => [
            status,
            {
              description: r.description,
              ...(r.schema ? { content: { 'application/json': { schema: jsonSchema(r.schema, 'output') } } } : {}),
            },
          ]),
        ),
      };
    }
    return {
      openapi: '3.1.0',
      info: {
        title: 'Ordering integration APIs',
        version: '0.1.0',
        description: 'Sales leads (seed 000), eSIM orders, fibre price/offer/order and MEF wholesale orders.',
      },
      components: {
        securitySchemes: {
          basic: { type: 'http', scheme: 'basic' },
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        },
      },
      paths,
    };
  }
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): unknown {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}
