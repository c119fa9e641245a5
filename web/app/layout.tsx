import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { SiteHeader } from '../components/SiteHeader';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Restain', template: '%s · Restain' },
  description: 'Reproducible IHC scoring: virtual restaining, cell segmentation and Ki67-style scores.',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

/** The frame of every page: header with navigation and API key, the page, the research-use note. */
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <SiteHeader />
        <noscript>
          <p className="noscript">
            Restain runs in your browser and needs JavaScript. Enable JavaScript for this site, or use the command line
            (<code>restain submit</code>) or the REST API at <code>/api</code> (documented at <code>/api/openapi.json</code>).
          </p>
        </noscript>
        <main id="main" className="page">
          {children}
        </main>
        <footer className="site-footer">
          For research use only; not for diagnosis. Do not upload images containing protected health information. <Link href="/terms/">Terms of use</Link>
        </footer>
      </body>
    </html>
  );
}
