declare const RESTAIN_CODE_VERSION: string | undefined;

/** Version of the code that produced a result: package version + git commit, stamped at build. */
export const CODE_VERSION: string = typeof RESTAIN_CODE_VERSION === 'string' ? RESTAIN_CODE_VERSION : 'source';
