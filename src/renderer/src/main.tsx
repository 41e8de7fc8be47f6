import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './app/app.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { apiClient } from './app/api-client';
import { useAppStore } from './app/app-store';
import { initI18n } from './app/i18n';

// The e2e ready marker: data-app-state="loading" | "ready" | "error" on <html>.
const root = document.documentElement;
root.dataset.appState = useAppStore.getState().appState;
useAppStore.subscribe((s) => {
  root.dataset.appState = s.appState;
});

initI18n();
apiClient(); // picks the transport (and keeps the bridge token) before any route renders

// The application menu (drawn by the main process) speaks the page's language.
const tellShellLanguage = (language: 'zh-CN' | 'en'): void =>
  void apiClient()
    .call('app.setLanguage', { language })
    .catch(() => undefined);
tellShellLanguage(useAppStore.getState().language);
useAppStore.subscribe((s, prev) => {
  if (s.language !== prev.language) tellShellLanguage(s.language);
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
