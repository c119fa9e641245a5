/** Segmentation settings in pixels of the tile being segmented (see toPixelParameters). */
export interface PixelSegmentationParameters {
  /** Gaussian sigma applied to the nuclear OD (hematoxylin + DAB) before thresholding. */
  readonly smoothingSigma: number;
  /** Nuclear OD above which a pixel may be nucleus (image-wide, from prepare). */
  readonly threshold: number;
  /** Edge (odd) of the square whose grey opening estimates the local non-nuclear OD. */
  readonly backgroundWindow: number;
  /** Nuclear OD a nucleus pixel must exceed its local background by (top-hat threshold). */
  readonly contrast: number;
  /** Hematoxylin OD over the local hematoxylin background that also makes a pixel nucleus (0 = off). */
  readonly hematoxylinContrast: number;
  /** Smoothed DAB OD from which a pixel counts as DAB-stained (class map that separates nuclei). */
  readonly dabPixelOd: number;
  /** Lower contrast for isolated pale nuclei (0 = off)... */
  readonly paleContrast: number;
  /** ...that cover at least this many px. */
  readonly paleMinArea: number;
  /** Opening radius that strips halos from foreground left unclaimed (0 = leftovers dropped)... */
  readonly leftoverOpeningRadius: number;
  /** ...and the smallest leftover piece kept as a nucleus, px. */
  readonly leftoverMinArea: number;
  /** Radius of the binary opening that cuts thin bridges and specks. */
  readonly openingRadius: number;
  /** Enclosed background up to this area is nucleus (pale vesicular centres). */
  readonly maxHoleArea: number;
  /** Nuclei smaller than this are debris. */
  readonly minArea: number;
  /** Minimum dynamic (pixels of distance) of a relief maximum to seed its own nucleus. */
  readonly splitDepth: number;
  /** Gaussian sigma applied to the distance map before seeding (merges jagged-edge maxima). */
  readonly distanceSigma: number;
  /** Pixels of relief per OD of smoothed nuclear stain (intensity valleys help split nuclei). */
  readonly intensityWeight: number;
  /** Gaussian sigma of the nuclear OD used in the relief (about half a nucleus radius: one top per nucleus). */
  readonly reliefSigma: number;
  /** Nuclear OD above which the intensity term of the relief saturates. */
  readonly intensityCap: number;
  /** Gaussian sigma (px) of the blob (LoG) term of the seeding relief... */
  readonly blobSigma: number;
  /** ...and its weight, px of relief per unit of normalised LoG response (0 = off). */
  readonly blobWeight: number;
  /** A nucleus keeps pixels above this fraction of its peak OD (trims DAB halos). */
  readonly peakFraction: number;
  /** Peak OD is capped here before taking the fraction (keeps dark nuclei whole). */
  readonly peakCap: number;
  /** Touching nuclei merge when their shared boundary is this x the smaller one's diameter (0 = off)... */
  readonly mergeNeckRatio: number;
  /** ...and its mean OD is at least this x the paler nucleus' mean OD (no valley between them). */
  readonly mergeValleyRatio: number;
  /** Fill each nucleus out to its convex hull (background pixels only). */
  readonly convexFill: boolean;
  /** Nuclei grow by this many px into unlabelled pixels (to the visible edge the threshold misses). */
  readonly growRadius: number;
  /** ...through pixels whose OD exceeds their local background by this (hysteresis below `contrast`). */
  readonly growContrast: number;
  /** Nuclei whose mean nuclear OD is below this are pale cytoplasm or debris. */
  readonly minMeanOd: number;
  /** Pixels (Euclidean) stripped from each nucleus' rim before its DAB is read for the class (0 = whole nucleus). */
  readonly classifyCoreDepth: number;
  /** A nucleus is positive when its core's mean DAB OD reaches this... */
  readonly positiveDab: number;
  /** ...and DAB is at least this share of its mean nuclear OD (H + DAB). */
  readonly positiveDabShare: number;
}
