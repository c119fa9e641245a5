import type { JsonSchema } from '../route-spec';

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const nullable = (type: string): JsonSchema => ({ type: [type, 'null'] });
const time: JsonSchema = { type: ['string', 'null'], format: 'date-time' };

/** Thresholds in DeepLIIF's vocabulary (integers or the named values). */
const thresholdProperties: Record<string, JsonSchema> = {
  seg_thresh: { type: ['integer', 'string'], minimum: 0, maximum: 254, description: 'R + B above this marks a cell pixel (0-254, default 120)' },
  size_thresh: { oneOf: [{ type: 'integer', minimum: 0 }, { const: 'auto' }], description: "Smallest cell area in px kept, or 'auto'" },
  size_thresh_upper: { oneOf: [{ type: 'integer', minimum: 1 }, { const: 'none' }], description: "Largest cell area in px kept, or 'none'" },
  size_thresh_relative: { type: ['number', 'string'], minimum: 0, exclusiveMaximum: 1, description: 'Cells under this fraction of the median cell area are not scored (Restain; default 0.35, 0: DeepLIIF rules)' },
  marker_thresh: { oneOf: [{ type: 'integer', minimum: 0, maximum: 255 }, { enum: ['none', 'auto'] }], description: 'Marker level above which a cell also counts positive' },
};

const jobParameterProperties: Record<string, JsonSchema> = {
  resolution: { enum: ['auto', '10x', '20x', '40x'], default: 'auto' },
  pixel_size: { type: ['number', 'string'], exclusiveMinimum: 0, description: 'µm per pixel; instead of resolution' },
  page: { type: ['integer', 'string'], minimum: 0, description: 'Page of a multi-page TIFF (0-based)' },
  ...thresholdProperties,
};

export const SCHEMAS: Record<string, JsonSchema> = {
  Error: {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: { code: { type: 'string', examples: ['NOT_FOUND'] }, message: { type: 'string' }, requestId: { type: 'string' } },
      },
    },
  },
  Thresholds: { type: 'object', additionalProperties: false, properties: thresholdProperties },
  JobParameters: { type: 'object', additionalProperties: false, properties: jobParameterProperties },
  Scoring: {
    type: 'object',
    required: ['num_total', 'num_pos', 'num_neg', 'percent_pos'],
    properties: {
      num_total: { type: 'integer' },
      num_pos: { type: 'integer' },
      num_neg: { type: 'integer' },
      percent_pos: { type: 'number' },
      prob_thresh: { type: 'integer' },
      seg_thresh: { type: 'integer' },
      size_thresh: { type: 'number' },
      size_thresh_upper: nullable('number'),
      size_thresh_relative: { type: 'number' },
      marker_thresh: nullable('number'),
      h_score: nullable('number'),
      mean_cell_area_px: { type: 'number' },
    },
  },
  Job: {
    type: 'object',
    required: ['id', 'state', 'createdAt', 'links'],
    properties: {
      id: { type: 'string', format: 'uuid' },
      state: { enum: ['created', 'uploaded', 'queued', 'running', 'succeeded', 'failed', 'expired'] },
      source: { enum: ['jobs-api', 'deepliif-api', 'drop-folder', 'web'] },
      displayName: nullable('string'),
      parameters: { type: 'object' },
      createdAt: { type: 'string', format: 'date-time' },
      updatedAt: { type: 'string', format: 'date-time' },
      uploadedAt: time,
      queuedAt: time,
      startedAt: time,
      finishedAt: time,
      expiresAt: time,
      uploadExpiresAt: time,
      input: { type: ['object', 'null'] },
      progress: { type: ['object', 'null'], properties: { tilesDone: { type: 'integer' }, tilesTotal: { type: 'integer' } } },
      queuePosition: { type: ['integer', 'null'], description: '1 = next to start; only while queued' },
      attempts: { type: 'integer' },
      error: { type: ['object', 'null'], properties: { code: { type: 'string' }, message: { type: 'string' } } },
      resultVersion: nullable('integer'),
      scoring: { oneOf: [ref('Scoring'), { type: 'null' }] },
      feedback: { type: 'array', items: { type: 'object', properties: { text: { type: 'string' }, createdAt: { type: 'string' } } } },
      links: { type: 'object', properties: { self: { type: 'string' }, results: { type: 'string' }, zip: { type: 'string' } } },
    },
  },
  JobAnswer: { type: 'object', required: ['job'], properties: { job: ref('Job') } },
  JobPage: {
    type: 'object',
    required: ['jobs', 'nextCursor'],
    properties: { jobs: { type: 'array', items: ref('Job') }, nextCursor: nullable('string') },
  },
  UploadTicket: {
    type: 'object',
    required: ['job', 'upload'],
    properties: {
      job: ref('Job'),
      upload: {
        type: 'object',
        required: ['url', 'method', 'expiresAt'],
        properties: { url: { type: 'string', format: 'uri' }, method: { const: 'PUT' }, expiresAt: { type: 'string', format: 'date-time' } },
      },
    },
  },
  Results: {
    type: 'object',
    required: ['jobId', 'version', 'scoring', 'files'],
    properties: {
      jobId: { type: 'string', format: 'uuid' },
      version: { type: 'integer' },
      versions: { type: 'array', items: { type: 'integer' } },
      createdAt: { type: 'string', format: 'date-time' },
      parameters: ref('Thresholds'),
      scoring: ref('Scoring'),
      manifest: { type: 'object', description: 'manifest.json: model, parameters, input checksum, code version, timings' },
      files: {
        type: 'array',
        items: { type: 'object', properties: { name: { type: 'string' }, contentType: { type: 'string' }, url: { type: 'string' } } },
      },
      zipUrl: { type: 'string' },
    },
  },
  DeepliifImages: {
    type: 'object',
    description: 'Base64-encoded PNGs by DeepLIIF modality name',
    properties: Object.fromEntries(['Hema', 'DAPI', 'Lap2', 'Marker', 'Seg', 'SegOverlaid', 'SegRefined'].map((name) => [name, { type: 'string', contentEncoding: 'base64' }])),
  },
  DeepliifResult: {
    type: 'object',
    required: ['images'],
    properties: { images: ref('DeepliifImages'), scoring: ref('Scoring') },
  },
  DeepliifTask: { type: 'object', required: ['task_id'], properties: { task_id: { type: 'string' } } },
  DeepliifTaskStatus: {
    type: 'object',
    required: ['state'],
    properties: { state: { enum: ['PENDING', 'STARTED', 'SUCCESS', 'FAILURE'] }, result: { oneOf: [ref('DeepliifResult'), { type: 'object' }, { type: 'null' }] } },
  },
  DeepliifUpload: {
    type: 'object',
    required: ['img'],
    properties: { img: { type: 'string', contentMediaType: 'application/octet-stream', description: 'The IHC image' } },
  },
  DeepliifPostprocessUpload: {
    type: 'object',
    required: ['img', 'seg_img'],
    properties: {
      img: { type: 'string', contentMediaType: 'application/octet-stream', description: 'The IHC image' },
      seg_img: { type: 'string', contentMediaType: 'application/octet-stream', description: 'Its Seg image' },
      marker_img: { type: 'string', contentMediaType: 'application/octet-stream', description: 'Its Marker image (optional)' },
    },
  },
  JobUpload: {
    type: 'object',
    required: ['file'],
    additionalProperties: false,
    properties: { file: { type: 'string', contentMediaType: 'application/octet-stream', description: 'The image' }, ...jobParameterProperties },
  },
  CreateForUpload: {
    type: 'object',
    additionalProperties: false,
    properties: { filename: { type: 'string', description: 'Display name of the image' }, ...jobParameterProperties },
  },
};

export { ref };
