import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { Shell } from './Shell';
import { theme } from './theme';

export function App() {
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <Notifications position="top-right" />
      <Shell />
    </MantineProvider>
  );
}
