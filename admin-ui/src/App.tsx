import { AccessProvider } from './auth/AccessContext';
import { AccessGate } from './auth/AccessGate';
import { Header } from './components/Header';
import { matchRoute, usePath, type Route } from './router';
import { DataPage } from './pages/DataPage';
import { HistoryPage } from './pages/HistoryPage';
import { IngestionPage } from './pages/IngestionPage';
import { MetricsPage } from './pages/MetricsPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { UploadPage } from './pages/UploadPage';

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'upload':
      return <UploadPage />;
    case 'history':
      return <HistoryPage />;
    case 'ingestion':
      return <IngestionPage key={route.id} id={route.id} />;
    case 'data':
      return <DataPage table={route.table} />;
    case 'metrics':
      return <MetricsPage />;
    case 'not-found':
      return <NotFoundPage path={route.path} />;
  }
}

export function App() {
  const route = matchRoute(usePath());
  return (
    <AccessProvider>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <Header route={route} />
      <main id="main">
        <AccessGate>
          <Page route={route} />
        </AccessGate>
      </main>
    </AccessProvider>
  );
}
