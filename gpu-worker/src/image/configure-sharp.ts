import sharp from 'sharp';

// libvips' operation cache keeps recently opened files mapped and their results held. Restain's
// pipelines read each raster file once, or a tile at a time, so the cache only adds memory (one
// 10000 x 10000 map is 300 MB).
sharp.cache(false);
