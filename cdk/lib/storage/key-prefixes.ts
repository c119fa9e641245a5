// The data bucket's key prefixes, taken from the modules that write them, so a grant can never
// name a prefix the runtime does not use (or miss one it does).
import { OBJECT_PREFIXES } from '@restain/shared';
import { JOB_INDEX_PREFIX, JOB_RECORD_PREFIX } from '@restain/shared/src/adapters/aws/job-index-keys';
import { API_KEYS_PREFIX } from '@restain/lambdas/src/api/auth/api-keys';
import { DROP_LEDGER_PREFIX } from '@restain/lambdas/src/drop-folder/drop-ledger';
import { LARGE_RESPONSE_PREFIX } from '@restain/lambdas/src/handlers/api-gateway-response';

/** Every prefix a component is granted access to. */
export const KEY_PREFIXES = Object.freeze({
  ...OBJECT_PREFIXES,
  /** Job records (`jobs/{id}.json`), rewritten by compare-and-swap. */
  jobs: JOB_RECORD_PREFIX,
  /** Empty index objects that make job listings O(page). */
  jobIndex: JOB_INDEX_PREFIX,
  /** The drop folder's claims, pending deliveries and folder summaries. */
  dropLedger: DROP_LEDGER_PREFIX,
  /** API key records (`api-keys/<sha256 of the key>.json`), read by the API. */
  apiKeys: API_KEYS_PREFIX,
  /** API answers too large for Lambda's 6 MB response, parked for a presigned download. */
  downloads: LARGE_RESPONSE_PREFIX,
});
