import { Link } from '../components/Link';
import { PageHeading } from '../components/PageHeading';

export function NotFoundPage({ path }: { path: string }) {
  return (
    <>
      <PageHeading>Page not found</PageHeading>
      <p>
        There is no page at <code>/admin{path}</code>. <Link to="/">Go to Upload</Link>.
      </p>
    </>
  );
}
