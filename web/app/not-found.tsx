import Link from 'next/link';

/** The export's 404.html: served by the static route for unknown paths. */
export default function NotFound() {
  return (
    <>
      <h1>Page not found</h1>
      <p>
        There is no page at this address. Go to the <Link href="/">upload page</Link> or to your <Link href="/jobs/">jobs</Link>.
      </p>
    </>
  );
}
