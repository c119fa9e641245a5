/** The terms of use (shown on first visit and at /terms). */
export function TermsText() {
  return (
    <div className="terms-text">
      <ul>
        <li>
          <strong>Research use only.</strong> Restain&apos;s scores and images are for research. They are not a medical device and must not be used for diagnosis or
          treatment decisions.
        </li>
        <li>
          <strong>No protected health information.</strong> Upload only de-identified images. Do not upload images or file names that contain names, record numbers,
          dates of birth or other identifiers; slide labels must be cropped out.
        </li>
        <li>
          <strong>Your data.</strong> Uploaded images and results are stored on this server only to run and show your analysis, and are deleted after the retention
          period or when you delete the job.
        </li>
        <li>
          <strong>Check the results.</strong> Automated scores can be wrong, especially on unusual stains, tissue or scanners; review the overlay before using a
          number.
        </li>
      </ul>
    </div>
  );
}
