// Who is logged in and acting (Query.viewer): every page reads it through
// useViewer(); graphcache answers all but the first from the cache.
import { useQuery } from 'urql';
import { graphql } from './gql';
import type { AccountLabelFragment } from './gql/graphql';
import i18n, { enumLabel } from './i18n';

graphql(`
  fragment AccountLabel on Account {
    id
    role
    status
    disabledReason
    disabledAt
    sector
    scopeRegion {
      id
      code
      name
    }
    scopeSite {
      id
      name
    }
  }
`);

export const ViewerDocument = graphql(`
  query Viewer {
    viewer {
      user {
        id
        name
        phoneMasked
      }
      acting {
        ...AccountLabel
      }
      accounts {
        ...AccountLabel
      }
      permissions {
        object
        action
        reach
        condition
      }
      pendingBindings {
        ...AccountLabel
      }
    }
  }
`);

export function useViewer() {
  const [result, reexecute] = useQuery({ query: ViewerDocument });
  return { viewer: result.data?.viewer ?? null, fetching: result.fetching, error: result.error, reexecute };
}

/** "普通扫码员 · 某医院入口": the role's label and the scope's name. */
export function accountLabel(a: AccountLabelFragment): string {
  const role = enumLabel('AccountRole', a.role);
  const scope = a.scopeSite?.name ?? a.scopeRegion?.name;
  // The province INITIATOR's scope is the whole province: its role says it.
  return scope ? i18n.t('account.label', { role, scope }) : role;
}
