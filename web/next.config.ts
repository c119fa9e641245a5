import path from 'node:path';
import type { NextConfig } from 'next';

/**
 * A static export (web/out): the local server serves it beside /api, and in AWS it sits on S3 +
 * CloudFront with /api/* routed to the API. No server features, rewrites or image optimisation.
 */
const config: NextConfig = {
  output: 'export',
  // Every page is a folder with index.html: served as-is by the local route and by S3.
  trailingSlash: true,
  images: { unoptimized: true },
  // The shared core is TypeScript source (post-processing, scoring, synthetic samples).
  transpilePackages: ['@restain/shared'],
  turbopack: { root: path.join(__dirname, '..') },
  outputFileTracingRoot: path.join(__dirname, '..'),
  // `npm test` type-checks web/ on its own (tsc -p web/tsconfig.json); not twice on a 2-core machine.
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
  reactStrictMode: true,
};

export default config;
