import { createContext, type ComponentChildren } from 'preact';
import { useCallback, useContext, useEffect, useState } from 'preact/hooks';
import { onUnauthorized } from '../api/client';
import { onApiKeyChange } from '../api/key-store';
import { checkAccess, type Access } from './access';

interface AccessValue {
  readonly access: Access;
  readonly recheck: () => void;
}

const AccessContext = createContext<AccessValue>({ access: { state: 'checking' }, recheck: () => undefined });

/** Checks access at start and whenever the key changes; any 401 on the way asks for a key again. */
export function AccessProvider({ children, check = checkAccess }: { children: ComponentChildren; check?: () => Promise<Access> }) {
  const [access, setAccess] = useState<Access>({ state: 'checking' });
  const recheck = useCallback(() => {
    setAccess({ state: 'checking' });
    void check().then(setAccess);
  }, [check]);
  useEffect(() => {
    recheck();
    const offKey = onApiKeyChange(recheck);
    const offUnauthorized = onUnauthorized((problem) => setAccess({ state: 'needs-key', problem }));
    return () => {
      offKey();
      offUnauthorized();
    };
  }, [recheck]);
  return <AccessContext.Provider value={{ access, recheck }}>{children}</AccessContext.Provider>;
}

export function useAccess(): AccessValue {
  return useContext(AccessContext);
}
