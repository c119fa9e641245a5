'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { ApiKeyField } from './ApiKeyField';

const LINKS = [
  { href: '/', label: 'Upload' },
  { href: '/jobs/', label: 'Jobs' },
  { href: '/terms/', label: 'Terms' },
] as const;

function isCurrent(pathname: string, href: string): boolean {
  return href === '/' ? pathname === '/' : pathname.startsWith(href.replace(/\/$/, ''));
}

/** Brand, navigation (current page marked for screen readers) and the API key setting. */
export function SiteHeader() {
  const pathname = usePathname() ?? '/';
  return (
    <header className="site-header">
      <Link href="/" className="brand" aria-label="Restain home">
        <span className="brand-mark" aria-hidden="true" />
        Restain
      </Link>
      <nav aria-label="Main">
        <ul className="nav-list">
          {LINKS.map((link) => (
            <li key={link.href}>
              <Link href={link.href} aria-current={isCurrent(pathname, link.href) ? 'page' : undefined}>
                {link.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <ApiKeyField />
    </header>
  );
}
