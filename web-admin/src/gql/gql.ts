/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation RefreshToken($refreshToken: String!) {\n    refreshToken(refreshToken: $refreshToken) {\n      accessToken\n      refreshToken\n      expiresAt\n      refreshExpiresAt\n    }\n  }\n": typeof types.RefreshTokenDocument,
    "\n  mutation SwitchAccount($id: ID!) {\n    switchAccount(id: $id) {\n      acting {\n        id\n      }\n    }\n  }\n": typeof types.SwitchAccountDocument,
    "\n  mutation Logout {\n    logout\n  }\n": typeof types.LogoutDocument,
    "\n  mutation CreateAccount($input: CreateAccountInput!) {\n    createAccount(input: $input) {\n      ...AccountRow\n    }\n  }\n": typeof types.CreateAccountDocument,
    "\n  mutation ReplaceAccount($id: ID!, $holder: HolderInput!, $reason: String) {\n    replaceAccount(id: $id, holder: $holder, reason: $reason) {\n      ...AccountRow\n    }\n  }\n": typeof types.ReplaceAccountDocument,
    "\n  query AccountSubordinates($id: ID!, $after: Cursor) {\n    node(id: $id) {\n      ... on Account {\n        id\n        subordinates(first: 50, after: $after, orderBy: [{ field: CREATED_AT, direction: DESC }]) {\n          edges {\n            node {\n              ...AccountRow\n            }\n          }\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n        }\n      }\n    }\n  }\n": typeof types.AccountSubordinatesDocument,
    "\n  mutation AcceptAccountBinding($id: ID!) {\n    acceptAccountBinding(id: $id) {\n      ...AccountLabel\n    }\n  }\n": typeof types.AcceptAccountBindingDocument,
    "\n  mutation DeclineAccountBinding($id: ID!) {\n    declineAccountBinding(id: $id)\n  }\n": typeof types.DeclineAccountBindingDocument,
    "\n  query PendingReactivations {\n    pendingReactivations(first: 100) {\n      totalCount\n      edges {\n        node {\n          id\n          status\n          note\n          createdAt\n          account {\n            ...AccountRow\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.PendingReactivationsDocument,
    "\n  query PickSites($where: SiteWhereInput) {\n    sites(first: 20, where: $where) {\n      edges {\n        node {\n          id\n          name\n          enabled\n          region {\n            id\n            name\n          }\n          parent {\n            id\n            name\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.PickSitesDocument,
    "\n  query PickRegions($where: RegionWhereInput) {\n    regions(first: 20, where: $where) {\n      edges {\n        node {\n          id\n          code\n          name\n          level\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.PickRegionsDocument,
    "\n  mutation DisableAccount($id: ID!, $cascade: Boolean!) {\n    disableAccount(id: $id, cascade: $cascade) {\n      account {\n        ...AccountRow\n      }\n      changed {\n        ...AccountRow\n      }\n    }\n  }\n": typeof types.DisableAccountDocument,
    "\n  mutation ActivateAccount($id: ID!, $cascade: Boolean!) {\n    activateAccount(id: $id, cascade: $cascade) {\n      account {\n        ...AccountRow\n      }\n      changed {\n        ...AccountRow\n      }\n    }\n  }\n": typeof types.ActivateAccountDocument,
    "\n  query DerivedActiveCount($where: AccountWhereInput!) {\n    accounts(first: 1, where: $where) {\n      totalCount\n      edges {\n        node {\n          id\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.DerivedActiveCountDocument,
    "\n  fragment AccountRow on Account {\n    id\n    role\n    status\n    disabledReason\n    disabledAt\n    lastActiveAt\n    createdAt\n    sector\n    holderCode\n    scopeRegion {\n      id\n      code\n      name\n    }\n    scopeSite {\n      id\n      name\n      region {\n        id\n        name\n      }\n    }\n    holder {\n      id\n      name\n      phoneMasked\n    }\n    superior {\n      id\n    }\n  }\n": typeof types.AccountRowFragmentDoc,
    "\n  query FilteredAccounts($where: AccountWhereInput!, $after: Cursor) {\n    accounts(first: 50, after: $after, where: $where, orderBy: [{ field: PATH, direction: ASC }]) {\n      totalCount\n      edges {\n        node {\n          ...AccountRow\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.FilteredAccountsDocument,
    "\n  mutation SubmitSeniorApplication($input: SeniorApplicationInput!) {\n    submitSeniorApplication(input: $input) {\n      ...ApplicationRow\n    }\n  }\n": typeof types.SubmitSeniorApplicationDocument,
    "\n  fragment ApplicationRow on Application {\n    id\n    createdAt\n    unitName\n    uscc\n    status\n    holderName\n    holderPhoneMasked\n    holderIDNumberMasked\n    decidedAt\n    decisionReason\n    scopeRegion {\n      id\n      name\n    }\n    scopeSite {\n      id\n      name\n      region {\n        id\n        name\n      }\n    }\n    submittedBy {\n      id\n      role\n    }\n  }\n": typeof types.ApplicationRowFragmentDoc,
    "\n  query Applications($where: ApplicationWhereInput, $after: Cursor) {\n    applications(first: 50, after: $after, where: $where, orderBy: [{ field: CREATED_AT, direction: DESC }]) {\n      totalCount\n      edges {\n        node {\n          ...ApplicationRow\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.ApplicationsDocument,
    "\n  mutation DecideApplication($id: ID!, $approve: Boolean!, $reason: String) {\n    decideApplication(id: $id, approve: $approve, reason: $reason) {\n      application {\n        ...ApplicationRow\n      }\n      account {\n        id\n        status\n      }\n      initialPassword\n    }\n  }\n": typeof types.DecideApplicationDocument,
    "\n  mutation GiveGrant($accountId: ID!, $kind: GrantKind!, $sector: Sector, $expiresAt: Time!, $reason: String!, $regionId: ID, $caseNumber: String, $alertId: ID) {\n    giveGrant(accountId: $accountId, kind: $kind, sector: $sector, expiresAt: $expiresAt, reason: $reason, regionId: $regionId, caseNumber: $caseNumber, alertId: $alertId) {\n      ...GrantRow\n    }\n  }\n": typeof types.GiveGrantDocument,
    "\n  query GrantAccounts($where: AccountWhereInput) {\n    accounts(first: 20, where: $where) {\n      edges {\n        node {\n          id\n          role\n          scopeRegion {\n            id\n            name\n          }\n          scopeSite {\n            id\n            name\n          }\n          holder {\n            id\n            name\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.GrantAccountsDocument,
    "\n  query GrantAlerts {\n    alerts(first: 30, orderBy: [{ field: RAISED_AT, direction: DESC }]) {\n      edges {\n        node {\n          id\n          kind\n          place\n          nameMasked\n          raisedAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.GrantAlertsDocument,
    "\n  fragment GrantRow on Grant {\n    id\n    createdAt\n    kind\n    sector\n    expiresAt\n    revokedAt\n    reason\n    caseNumber\n    scopeRegion {\n      id\n      name\n    }\n    alert {\n      id\n      place\n      raisedAt\n    }\n    account {\n      id\n      role\n      scopeRegion {\n        id\n        name\n      }\n      scopeSite {\n        id\n        name\n      }\n      holder {\n        id\n        name\n      }\n    }\n  }\n": typeof types.GrantRowFragmentDoc,
    "\n  query Grants($where: GrantWhereInput, $after: Cursor) {\n    grants(first: 50, after: $after, where: $where, orderBy: [{ field: CREATED_AT, direction: DESC }]) {\n      totalCount\n      edges {\n        node {\n          ...GrantRow\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.GrantsDocument,
    "\n  mutation RevokeGrant($id: ID!) {\n    revokeGrant(id: $id) {\n      ...GrantRow\n    }\n  }\n": typeof types.RevokeGrantDocument,
    "\n  mutation RequestReactivation($id: ID!, $note: String) {\n    requestReactivation(id: $id, note: $note) {\n      id\n      status\n      note\n      createdAt\n      decidedAt\n    }\n  }\n": typeof types.RequestReactivationDocument,
    "\n  query ReactivationState($id: ID!) {\n    node(id: $id) {\n      ... on ReactivationRequest {\n        id\n        status\n        note\n        createdAt\n        decidedAt\n      }\n    }\n  }\n": typeof types.ReactivationStateDocument,
    "\n  mutation Login($phone: String!, $password: String!) {\n    login(phone: $phone, password: $password) {\n      accessToken\n      refreshToken\n      expiresAt\n      refreshExpiresAt\n    }\n  }\n": typeof types.LoginDocument,
    "\n  fragment AccountLabel on Account {\n    id\n    role\n    status\n    disabledReason\n    disabledAt\n    sector\n    scopeRegion {\n      id\n      code\n      name\n    }\n    scopeSite {\n      id\n      name\n    }\n  }\n": typeof types.AccountLabelFragmentDoc,
    "\n  query Viewer {\n    viewer {\n      user {\n        id\n        name\n        phoneMasked\n      }\n      acting {\n        ...AccountLabel\n      }\n      accounts {\n        ...AccountLabel\n      }\n      permissions {\n        object\n        action\n        reach\n        condition\n      }\n      pendingBindings {\n        ...AccountLabel\n      }\n    }\n  }\n": typeof types.ViewerDocument,
};
const documents: Documents = {
    "\n  mutation RefreshToken($refreshToken: String!) {\n    refreshToken(refreshToken: $refreshToken) {\n      accessToken\n      refreshToken\n      expiresAt\n      refreshExpiresAt\n    }\n  }\n": types.RefreshTokenDocument,
    "\n  mutation SwitchAccount($id: ID!) {\n    switchAccount(id: $id) {\n      acting {\n        id\n      }\n    }\n  }\n": types.SwitchAccountDocument,
    "\n  mutation Logout {\n    logout\n  }\n": types.LogoutDocument,
    "\n  mutation CreateAccount($input: CreateAccountInput!) {\n    createAccount(input: $input) {\n      ...AccountRow\n    }\n  }\n": types.CreateAccountDocument,
    "\n  mutation ReplaceAccount($id: ID!, $holder: HolderInput!, $reason: String) {\n    replaceAccount(id: $id, holder: $holder, reason: $reason) {\n      ...AccountRow\n    }\n  }\n": types.ReplaceAccountDocument,
    "\n  query AccountSubordinates($id: ID!, $after: Cursor) {\n    node(id: $id) {\n      ... on Account {\n        id\n        subordinates(first: 50, after: $after, orderBy: [{ field: CREATED_AT, direction: DESC }]) {\n          edges {\n            node {\n              ...AccountRow\n            }\n          }\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n        }\n      }\n    }\n  }\n": types.AccountSubordinatesDocument,
    "\n  mutation AcceptAccountBinding($id: ID!) {\n    acceptAccountBinding(id: $id) {\n      ...AccountLabel\n    }\n  }\n": types.AcceptAccountBindingDocument,
    "\n  mutation DeclineAccountBinding($id: ID!) {\n    declineAccountBinding(id: $id)\n  }\n": types.DeclineAccountBindingDocument,
    "\n  query PendingReactivations {\n    pendingReactivations(first: 100) {\n      totalCount\n      edges {\n        node {\n          id\n          status\n          note\n          createdAt\n          account {\n            ...AccountRow\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.PendingReactivationsDocument,
    "\n  query PickSites($where: SiteWhereInput) {\n    sites(first: 20, where: $where) {\n      edges {\n        node {\n          id\n          name\n          enabled\n          region {\n            id\n            name\n          }\n          parent {\n            id\n            name\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.PickSitesDocument,
    "\n  query PickRegions($where: RegionWhereInput) {\n    regions(first: 20, where: $where) {\n      edges {\n        node {\n          id\n          code\n          name\n          level\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.PickRegionsDocument,
    "\n  mutation DisableAccount($id: ID!, $cascade: Boolean!) {\n    disableAccount(id: $id, cascade: $cascade) {\n      account {\n        ...AccountRow\n      }\n      changed {\n        ...AccountRow\n      }\n    }\n  }\n": types.DisableAccountDocument,
    "\n  mutation ActivateAccount($id: ID!, $cascade: Boolean!) {\n    activateAccount(id: $id, cascade: $cascade) {\n      account {\n        ...AccountRow\n      }\n      changed {\n        ...AccountRow\n      }\n    }\n  }\n": types.ActivateAccountDocument,
    "\n  query DerivedActiveCount($where: AccountWhereInput!) {\n    accounts(first: 1, where: $where) {\n      totalCount\n      edges {\n        node {\n          id\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.DerivedActiveCountDocument,
    "\n  fragment AccountRow on Account {\n    id\n    role\n    status\n    disabledReason\n    disabledAt\n    lastActiveAt\n    createdAt\n    sector\n    holderCode\n    scopeRegion {\n      id\n      code\n      name\n    }\n    scopeSite {\n      id\n      name\n      region {\n        id\n        name\n      }\n    }\n    holder {\n      id\n      name\n      phoneMasked\n    }\n    superior {\n      id\n    }\n  }\n": types.AccountRowFragmentDoc,
    "\n  query FilteredAccounts($where: AccountWhereInput!, $after: Cursor) {\n    accounts(first: 50, after: $after, where: $where, orderBy: [{ field: PATH, direction: ASC }]) {\n      totalCount\n      edges {\n        node {\n          ...AccountRow\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.FilteredAccountsDocument,
    "\n  mutation SubmitSeniorApplication($input: SeniorApplicationInput!) {\n    submitSeniorApplication(input: $input) {\n      ...ApplicationRow\n    }\n  }\n": types.SubmitSeniorApplicationDocument,
    "\n  fragment ApplicationRow on Application {\n    id\n    createdAt\n    unitName\n    uscc\n    status\n    holderName\n    holderPhoneMasked\n    holderIDNumberMasked\n    decidedAt\n    decisionReason\n    scopeRegion {\n      id\n      name\n    }\n    scopeSite {\n      id\n      name\n      region {\n        id\n        name\n      }\n    }\n    submittedBy {\n      id\n      role\n    }\n  }\n": types.ApplicationRowFragmentDoc,
    "\n  query Applications($where: ApplicationWhereInput, $after: Cursor) {\n    applications(first: 50, after: $after, where: $where, orderBy: [{ field: CREATED_AT, direction: DESC }]) {\n      totalCount\n      edges {\n        node {\n          ...ApplicationRow\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.ApplicationsDocument,
    "\n  mutation DecideApplication($id: ID!, $approve: Boolean!, $reason: String) {\n    decideApplication(id: $id, approve: $approve, reason: $reason) {\n      application {\n        ...ApplicationRow\n      }\n      account {\n        id\n        status\n      }\n      initialPassword\n    }\n  }\n": types.DecideApplicationDocument,
    "\n  mutation GiveGrant($accountId: ID!, $kind: GrantKind!, $sector: Sector, $expiresAt: Time!, $reason: String!, $regionId: ID, $caseNumber: String, $alertId: ID) {\n    giveGrant(accountId: $accountId, kind: $kind, sector: $sector, expiresAt: $expiresAt, reason: $reason, regionId: $regionId, caseNumber: $caseNumber, alertId: $alertId) {\n      ...GrantRow\n    }\n  }\n": types.GiveGrantDocument,
    "\n  query GrantAccounts($where: AccountWhereInput) {\n    accounts(first: 20, where: $where) {\n      edges {\n        node {\n          id\n          role\n          scopeRegion {\n            id\n            name\n          }\n          scopeSite {\n            id\n            name\n          }\n          holder {\n            id\n            name\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.GrantAccountsDocument,
    "\n  query GrantAlerts {\n    alerts(first: 30, orderBy: [{ field: RAISED_AT, direction: DESC }]) {\n      edges {\n        node {\n          id\n          kind\n          place\n          nameMasked\n          raisedAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.GrantAlertsDocument,
    "\n  fragment GrantRow on Grant {\n    id\n    createdAt\n    kind\n    sector\n    expiresAt\n    revokedAt\n    reason\n    caseNumber\n    scopeRegion {\n      id\n      name\n    }\n    alert {\n      id\n      place\n      raisedAt\n    }\n    account {\n      id\n      role\n      scopeRegion {\n        id\n        name\n      }\n      scopeSite {\n        id\n        name\n      }\n      holder {\n        id\n        name\n      }\n    }\n  }\n": types.GrantRowFragmentDoc,
    "\n  query Grants($where: GrantWhereInput, $after: Cursor) {\n    grants(first: 50, after: $after, where: $where, orderBy: [{ field: CREATED_AT, direction: DESC }]) {\n      totalCount\n      edges {\n        node {\n          ...GrantRow\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.GrantsDocument,
    "\n  mutation RevokeGrant($id: ID!) {\n    revokeGrant(id: $id) {\n      ...GrantRow\n    }\n  }\n": types.RevokeGrantDocument,
    "\n  mutation RequestReactivation($id: ID!, $note: String) {\n    requestReactivation(id: $id, note: $note) {\n      id\n      status\n      note\n      createdAt\n      decidedAt\n    }\n  }\n": types.RequestReactivationDocument,
    "\n  query ReactivationState($id: ID!) {\n    node(id: $id) {\n      ... on ReactivationRequest {\n        id\n        status\n        note\n        createdAt\n        decidedAt\n      }\n    }\n  }\n": types.ReactivationStateDocument,
    "\n  mutation Login($phone: String!, $password: String!) {\n    login(phone: $phone, password: $password) {\n      accessToken\n      refreshToken\n      expiresAt\n      refreshExpiresAt\n    }\n  }\n": types.LoginDocument,
    "\n  fragment AccountLabel on Account {\n    id\n    role\n    status\n    disabledReason\n    disabledAt\n    sector\n    scopeRegion {\n      id\n      code\n      name\n    }\n    scopeSite {\n      id\n      name\n    }\n  }\n": types.AccountLabelFragmentDoc,
    "\n  query Viewer {\n    viewer {\n      user {\n        id\n        name\n        phoneMasked\n      }\n      acting {\n        ...AccountLabel\n      }\n      accounts {\n        ...AccountLabel\n      }\n      permissions {\n        object\n        action\n        reach\n        condition\n      }\n      pendingBindings {\n        ...AccountLabel\n      }\n    }\n  }\n": types.ViewerDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RefreshToken($refreshToken: String!) {\n    refreshToken(refreshToken: $refreshToken) {\n      accessToken\n      refreshToken\n      expiresAt\n      refreshExpiresAt\n    }\n  }\n"): (typeof documents)["\n  mutation RefreshToken($refreshToken: String!) {\n    refreshToken(refreshToken: $refreshToken) {\n      accessToken\n      refreshToken\n      expiresAt\n      refreshExpiresAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SwitchAccount($id: ID!) {\n    switchAccount(id: $id) {\n      acting {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SwitchAccount($id: ID!) {\n    switchAccount(id: $id) {\n      acting {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Logout {\n    logout\n  }\n"): (typeof documents)["\n  mutation Logout {\n    logout\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateAccount($input: CreateAccountInput!) {\n    createAccount(input: $input) {\n      ...AccountRow\n    }\n  }\n"): (typeof documents)["\n  mutation CreateAccount($input: CreateAccountInput!) {\n    createAccount(input: $input) {\n      ...AccountRow\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReplaceAccount($id: ID!, $holder: HolderInput!, $reason: String) {\n    replaceAccount(id: $id, holder: $holder, reason: $reason) {\n      ...AccountRow\n    }\n  }\n"): (typeof documents)["\n  mutation ReplaceAccount($id: ID!, $holder: HolderInput!, $reason: String) {\n    replaceAccount(id: $id, holder: $holder, reason: $reason) {\n      ...AccountRow\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AccountSubordinates($id: ID!, $after: Cursor) {\n    node(id: $id) {\n      ... on Account {\n        id\n        subordinates(first: 50, after: $after, orderBy: [{ field: CREATED_AT, direction: DESC }]) {\n          edges {\n            node {\n              ...AccountRow\n            }\n          }\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AccountSubordinates($id: ID!, $after: Cursor) {\n    node(id: $id) {\n      ... on Account {\n        id\n        subordinates(first: 50, after: $after, orderBy: [{ field: CREATED_AT, direction: DESC }]) {\n          edges {\n            node {\n              ...AccountRow\n            }\n          }\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcceptAccountBinding($id: ID!) {\n    acceptAccountBinding(id: $id) {\n      ...AccountLabel\n    }\n  }\n"): (typeof documents)["\n  mutation AcceptAccountBinding($id: ID!) {\n    acceptAccountBinding(id: $id) {\n      ...AccountLabel\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeclineAccountBinding($id: ID!) {\n    declineAccountBinding(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeclineAccountBinding($id: ID!) {\n    declineAccountBinding(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PendingReactivations {\n    pendingReactivations(first: 100) {\n      totalCount\n      edges {\n        node {\n          id\n          status\n          note\n          createdAt\n          account {\n            ...AccountRow\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query PendingReactivations {\n    pendingReactivations(first: 100) {\n      totalCount\n      edges {\n        node {\n          id\n          status\n          note\n          createdAt\n          account {\n            ...AccountRow\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PickSites($where: SiteWhereInput) {\n    sites(first: 20, where: $where) {\n      edges {\n        node {\n          id\n          name\n          enabled\n          region {\n            id\n            name\n          }\n          parent {\n            id\n            name\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query PickSites($where: SiteWhereInput) {\n    sites(first: 20, where: $where) {\n      edges {\n        node {\n          id\n          name\n          enabled\n          region {\n            id\n            name\n          }\n          parent {\n            id\n            name\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PickRegions($where: RegionWhereInput) {\n    regions(first: 20, where: $where) {\n      edges {\n        node {\n          id\n          code\n          name\n          level\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query PickRegions($where: RegionWhereInput) {\n    regions(first: 20, where: $where) {\n      edges {\n        node {\n          id\n          code\n          name\n          level\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DisableAccount($id: ID!, $cascade: Boolean!) {\n    disableAccount(id: $id, cascade: $cascade) {\n      account {\n        ...AccountRow\n      }\n      changed {\n        ...AccountRow\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation DisableAccount($id: ID!, $cascade: Boolean!) {\n    disableAccount(id: $id, cascade: $cascade) {\n      account {\n        ...AccountRow\n      }\n      changed {\n        ...AccountRow\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ActivateAccount($id: ID!, $cascade: Boolean!) {\n    activateAccount(id: $id, cascade: $cascade) {\n      account {\n        ...AccountRow\n      }\n      changed {\n        ...AccountRow\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ActivateAccount($id: ID!, $cascade: Boolean!) {\n    activateAccount(id: $id, cascade: $cascade) {\n      account {\n        ...AccountRow\n      }\n      changed {\n        ...AccountRow\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DerivedActiveCount($where: AccountWhereInput!) {\n    accounts(first: 1, where: $where) {\n      totalCount\n      edges {\n        node {\n          id\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query DerivedActiveCount($where: AccountWhereInput!) {\n    accounts(first: 1, where: $where) {\n      totalCount\n      edges {\n        node {\n          id\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AccountRow on Account {\n    id\n    role\n    status\n    disabledReason\n    disabledAt\n    lastActiveAt\n    createdAt\n    sector\n    holderCode\n    scopeRegion {\n      id\n      code\n      name\n    }\n    scopeSite {\n      id\n      name\n      region {\n        id\n        name\n      }\n    }\n    holder {\n      id\n      name\n      phoneMasked\n    }\n    superior {\n      id\n    }\n  }\n"): (typeof documents)["\n  fragment AccountRow on Account {\n    id\n    role\n    status\n    disabledReason\n    disabledAt\n    lastActiveAt\n    createdAt\n    sector\n    holderCode\n    scopeRegion {\n      id\n      code\n      name\n    }\n    scopeSite {\n      id\n      name\n      region {\n        id\n        name\n      }\n    }\n    holder {\n      id\n      name\n      phoneMasked\n    }\n    superior {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FilteredAccounts($where: AccountWhereInput!, $after: Cursor) {\n    accounts(first: 50, after: $after, where: $where, orderBy: [{ field: PATH, direction: ASC }]) {\n      totalCount\n      edges {\n        node {\n          ...AccountRow\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query FilteredAccounts($where: AccountWhereInput!, $after: Cursor) {\n    accounts(first: 50, after: $after, where: $where, orderBy: [{ field: PATH, direction: ASC }]) {\n      totalCount\n      edges {\n        node {\n          ...AccountRow\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SubmitSeniorApplication($input: SeniorApplicationInput!) {\n    submitSeniorApplication(input: $input) {\n      ...ApplicationRow\n    }\n  }\n"): (typeof documents)["\n  mutation SubmitSeniorApplication($input: SeniorApplicationInput!) {\n    submitSeniorApplication(input: $input) {\n      ...ApplicationRow\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ApplicationRow on Application {\n    id\n    createdAt\n    unitName\n    uscc\n    status\n    holderName\n    holderPhoneMasked\n    holderIDNumberMasked\n    decidedAt\n    decisionReason\n    scopeRegion {\n      id\n      name\n    }\n    scopeSite {\n      id\n      name\n      region {\n        id\n        name\n      }\n    }\n    submittedBy {\n      id\n      role\n    }\n  }\n"): (typeof documents)["\n  fragment ApplicationRow on Application {\n    id\n    createdAt\n    unitName\n    uscc\n    status\n    holderName\n    holderPhoneMasked\n    holderIDNumberMasked\n    decidedAt\n    decisionReason\n    scopeRegion {\n      id\n      name\n    }\n    scopeSite {\n      id\n      name\n      region {\n        id\n        name\n      }\n    }\n    submittedBy {\n      id\n      role\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Applications($where: ApplicationWhereInput, $after: Cursor) {\n    applications(first: 50, after: $after, where: $where, orderBy: [{ field: CREATED_AT, direction: DESC }]) {\n      totalCount\n      edges {\n        node {\n          ...ApplicationRow\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query Applications($where: ApplicationWhereInput, $after: Cursor) {\n    applications(first: 50, after: $after, where: $where, orderBy: [{ field: CREATED_AT, direction: DESC }]) {\n      totalCount\n      edges {\n        node {\n          ...ApplicationRow\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DecideApplication($id: ID!, $approve: Boolean!, $reason: String) {\n    decideApplication(id: $id, approve: $approve, reason: $reason) {\n      application {\n        ...ApplicationRow\n      }\n      account {\n        id\n        status\n      }\n      initialPassword\n    }\n  }\n"): (typeof documents)["\n  mutation DecideApplication($id: ID!, $approve: Boolean!, $reason: String) {\n    decideApplication(id: $id, approve: $approve, reason: $reason) {\n      application {\n        ...ApplicationRow\n      }\n      account {\n        id\n        status\n      }\n      initialPassword\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation GiveGrant($accountId: ID!, $kind: GrantKind!, $sector: Sector, $expiresAt: Time!, $reason: String!, $regionId: ID, $caseNumber: String, $alertId: ID) {\n    giveGrant(accountId: $accountId, kind: $kind, sector: $sector, expiresAt: $expiresAt, reason: $reason, regionId: $regionId, caseNumber: $caseNumber, alertId: $alertId) {\n      ...GrantRow\n    }\n  }\n"): (typeof documents)["\n  mutation GiveGrant($accountId: ID!, $kind: GrantKind!, $sector: Sector, $expiresAt: Time!, $reason: String!, $regionId: ID, $caseNumber: String, $alertId: ID) {\n    giveGrant(accountId: $accountId, kind: $kind, sector: $sector, expiresAt: $expiresAt, reason: $reason, regionId: $regionId, caseNumber: $caseNumber, alertId: $alertId) {\n      ...GrantRow\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GrantAccounts($where: AccountWhereInput) {\n    accounts(first: 20, where: $where) {\n      edges {\n        node {\n          id\n          role\n          scopeRegion {\n            id\n            name\n          }\n          scopeSite {\n            id\n            name\n          }\n          holder {\n            id\n            name\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query GrantAccounts($where: AccountWhereInput) {\n    accounts(first: 20, where: $where) {\n      edges {\n        node {\n          id\n          role\n          scopeRegion {\n            id\n            name\n          }\n          scopeSite {\n            id\n            name\n          }\n          holder {\n            id\n            name\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GrantAlerts {\n    alerts(first: 30, orderBy: [{ field: RAISED_AT, direction: DESC }]) {\n      edges {\n        node {\n          id\n          kind\n          place\n          nameMasked\n          raisedAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query GrantAlerts {\n    alerts(first: 30, orderBy: [{ field: RAISED_AT, direction: DESC }]) {\n      edges {\n        node {\n          id\n          kind\n          place\n          nameMasked\n          raisedAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment GrantRow on Grant {\n    id\n    createdAt\n    kind\n    sector\n    expiresAt\n    revokedAt\n    reason\n    caseNumber\n    scopeRegion {\n      id\n      name\n    }\n    alert {\n      id\n      place\n      raisedAt\n    }\n    account {\n      id\n      role\n      scopeRegion {\n        id\n        name\n      }\n      scopeSite {\n        id\n        name\n      }\n      holder {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment GrantRow on Grant {\n    id\n    createdAt\n    kind\n    sector\n    expiresAt\n    revokedAt\n    reason\n    caseNumber\n    scopeRegion {\n      id\n      name\n    }\n    alert {\n      id\n      place\n      raisedAt\n    }\n    account {\n      id\n      role\n      scopeRegion {\n        id\n        name\n      }\n      scopeSite {\n        id\n        name\n      }\n      holder {\n        id\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Grants($where: GrantWhereInput, $after: Cursor) {\n    grants(first: 50, after: $after, where: $where, orderBy: [{ field: CREATED_AT, direction: DESC }]) {\n      totalCount\n      edges {\n        node {\n          ...GrantRow\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query Grants($where: GrantWhereInput, $after: Cursor) {\n    grants(first: 50, after: $after, where: $where, orderBy: [{ field: CREATED_AT, direction: DESC }]) {\n      totalCount\n      edges {\n        node {\n          ...GrantRow\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeGrant($id: ID!) {\n    revokeGrant(id: $id) {\n      ...GrantRow\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeGrant($id: ID!) {\n    revokeGrant(id: $id) {\n      ...GrantRow\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestReactivation($id: ID!, $note: String) {\n    requestReactivation(id: $id, note: $note) {\n      id\n      status\n      note\n      createdAt\n      decidedAt\n    }\n  }\n"): (typeof documents)["\n  mutation RequestReactivation($id: ID!, $note: String) {\n    requestReactivation(id: $id, note: $note) {\n      id\n      status\n      note\n      createdAt\n      decidedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReactivationState($id: ID!) {\n    node(id: $id) {\n      ... on ReactivationRequest {\n        id\n        status\n        note\n        createdAt\n        decidedAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query ReactivationState($id: ID!) {\n    node(id: $id) {\n      ... on ReactivationRequest {\n        id\n        status\n        note\n        createdAt\n        decidedAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($phone: String!, $password: String!) {\n    login(phone: $phone, password: $password) {\n      accessToken\n      refreshToken\n      expiresAt\n      refreshExpiresAt\n    }\n  }\n"): (typeof documents)["\n  mutation Login($phone: String!, $password: String!) {\n    login(phone: $phone, password: $password) {\n      accessToken\n      refreshToken\n      expiresAt\n      refreshExpiresAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AccountLabel on Account {\n    id\n    role\n    status\n    disabledReason\n    disabledAt\n    sector\n    scopeRegion {\n      id\n      code\n      name\n    }\n    scopeSite {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment AccountLabel on Account {\n    id\n    role\n    status\n    disabledReason\n    disabledAt\n    sector\n    scopeRegion {\n      id\n      code\n      name\n    }\n    scopeSite {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    viewer {\n      user {\n        id\n        name\n        phoneMasked\n      }\n      acting {\n        ...AccountLabel\n      }\n      accounts {\n        ...AccountLabel\n      }\n      permissions {\n        object\n        action\n        reach\n        condition\n      }\n      pendingBindings {\n        ...AccountLabel\n      }\n    }\n  }\n"): (typeof documents)["\n  query Viewer {\n    viewer {\n      user {\n        id\n        name\n        phoneMasked\n      }\n      acting {\n        ...AccountLabel\n      }\n      accounts {\n        ...AccountLabel\n      }\n      permissions {\n        object\n        action\n        reach\n        condition\n      }\n      pendingBindings {\n        ...AccountLabel\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;