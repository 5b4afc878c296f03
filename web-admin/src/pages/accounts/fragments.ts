// What a row of the account tree shows (the fragment is shared by the
// lazily loaded levels, the filtered list and the mutations' answers, so
// graphcache updates every place an account appears).
import { graphql } from '../../gql';

export const AccountRowFragment = graphql(`
  fragment AccountRow on Account {
    id
    role
    status
    disabledReason
    disabledAt
    lastActiveAt
    createdAt
    sector
    holderCode
    scopeRegion {
      id
      code
      name
    }
    scopeSite {
      id
      name
      region {
        id
        name
      }
    }
    holder {
      id
      name
      phoneMasked
    }
    superior {
      id
    }
  }
`);

/** Roles that may have subordinates (seed 001 §6: the four levels; DESIGN §5). */
export const rolesWithSubordinates = new Set(['INITIATOR', 'SENIOR', 'INTERMEDIATE']);
