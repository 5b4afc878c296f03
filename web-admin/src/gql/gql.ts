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
    "\n  mutation RequestReactivation($id: ID!, $note: String) {\n    requestReactivation(id: $id, note: $note) {\n      id\n      status\n      note\n      createdAt\n      decidedAt\n    }\n  }\n": typeof types.RequestReactivationDocument,
    "\n  query ReactivationState($id: ID!) {\n    node(id: $id) {\n      ... on ReactivationRequest {\n        id\n        status\n        note\n        createdAt\n        decidedAt\n      }\n    }\n  }\n": typeof types.ReactivationStateDocument,
    "\n  mutation Login($phone: String!, $password: String!) {\n    login(phone: $phone, password: $password) {\n      accessToken\n      refreshToken\n      expiresAt\n      refreshExpiresAt\n    }\n  }\n": typeof types.LoginDocument,
    "\n  mutation MoveSite($id: ID!, $parentId: ID!) {\n    moveSite(id: $id, parentId: $parentId) {\n      id\n    }\n  }\n": typeof types.MoveSiteDocument,
    "\n  mutation IssueSiteCode($site: ID!) {\n    issueSiteCode(site: $site, ttlMinutes: 1440) {\n      token\n      expiresAt\n    }\n  }\n": typeof types.IssueSiteCodeDocument,
    "\n  fragment SiteDetails on Site {\n    id\n    name\n    category\n    verificationPolicy\n    isVehicle\n    sector\n    address\n    latitude\n    longitude\n    geofenceRadius\n    built\n    enabled\n    selfScanNeedsTemperature\n    unit {\n      id\n      name\n    }\n    region {\n      id\n      code\n      name\n      ancestors {\n        id\n        code\n        name\n      }\n    }\n    parent {\n      id\n      name\n      parent {\n        id\n        name\n        parent {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.SiteDetailsFragmentDoc,
    "\n  query SiteScanners {\n    accounts(first: 500, where: { roleIn: [SENIOR, INTERMEDIATE, ORDINARY] }, orderBy: [{ field: ROLE }]) {\n      edges {\n        node {\n          id\n          scopeSite {\n            id\n          }\n          role\n          status\n          disabledReason\n          lastActiveAt\n          holder {\n            id\n            name\n            phoneMasked\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.SiteScannersDocument,
    "\n  query SiteCategories {\n    siteCategories {\n      category\n      policy\n      isVehicle\n    }\n  }\n": typeof types.SiteCategoriesDocument,
    "\n  query SitePage($id: ID!) {\n    node(id: $id) {\n      ... on Site {\n        ...SiteDetails\n        children(first: 100, orderBy: [{ field: NAME }]) {\n          totalCount\n          edges {\n            node {\n              id\n              name\n              category\n              enabled\n              built\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.SitePageDocument,
    "\n  query NewSiteParent($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Region {\n        id\n        code\n        name\n      }\n      ... on Site {\n        id\n        name\n        region {\n          code\n        }\n      }\n    }\n  }\n": typeof types.NewSiteParentDocument,
    "\n  mutation CreateSite($input: CreateSiteInput!) {\n    createSite(input: $input) {\n      id\n      name\n    }\n  }\n": typeof types.CreateSiteDocument,
    "\n  mutation UpdateSite($id: ID!, $input: UpdateSiteInput!) {\n    updateSite(id: $id, input: $input) {\n      id\n      name\n      category\n      verificationPolicy\n      isVehicle\n      sector\n      address\n      latitude\n      longitude\n      geofenceRadius\n      selfScanNeedsTemperature\n    }\n  }\n": typeof types.UpdateSiteDocument,
    "\n  mutation SetSiteStatus($id: ID!, $built: Boolean, $enabled: Boolean) {\n    setSiteStatus(id: $id, built: $built, enabled: $enabled) {\n      id\n      built\n      enabled\n    }\n  }\n": typeof types.SetSiteStatusDocument,
    "\n  query TreeRoots {\n    regions(first: 100, where: { level: PROVINCE }, orderBy: [{ field: CODE }]) {\n      edges {\n        node {\n          ...TreeRegion\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.TreeRootsDocument,
    "\n  fragment TreeRegion on Region {\n    id\n    code\n    name\n    level\n    childCount\n    siteCount\n  }\n": typeof types.TreeRegionFragmentDoc,
    "\n  fragment TreeSite on Site {\n    id\n    name\n    category\n    enabled\n    children {\n      totalCount\n    }\n  }\n": typeof types.TreeSiteFragmentDoc,
    "\n  query TreeRegionChildren($id: ID!, $after: Cursor) {\n    node(id: $id) {\n      ... on Region {\n        id\n        children(first: 100, after: $after, orderBy: [{ field: CODE }]) {\n          edges {\n            node {\n              ...TreeRegion\n            }\n          }\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n        }\n      }\n    }\n  }\n": typeof types.TreeRegionChildrenDocument,
    "\n  query TreeRegionSites($id: ID!, $after: Cursor) {\n    node(id: $id) {\n      ... on Region {\n        id\n        sites(first: 100, after: $after, orderBy: [{ field: NAME }]) {\n          edges {\n            node {\n              ...TreeSite\n              parent {\n                id\n              }\n            }\n          }\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n        }\n      }\n    }\n  }\n": typeof types.TreeRegionSitesDocument,
    "\n  query TreeSiteChildren($id: ID!, $after: Cursor) {\n    node(id: $id) {\n      ... on Site {\n        id\n        children(first: 100, after: $after, orderBy: [{ field: NAME }]) {\n          edges {\n            node {\n              ...TreeSite\n            }\n          }\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n        }\n      }\n    }\n  }\n": typeof types.TreeSiteChildrenDocument,
    "\n  query TreeRegion($code: String!) {\n    regionByCode(code: $code) {\n      id\n      code\n      name\n      level\n      childCount\n      siteCount\n      population\n      registrationTarget\n      ancestors {\n        id\n        code\n        name\n      }\n    }\n  }\n": typeof types.TreeRegionDocument,
    "\n  query TreeSiteNode($id: ID!) {\n    node(id: $id) {\n      ... on Site {\n        ...SiteDetails\n      }\n    }\n  }\n": typeof types.TreeSiteNodeDocument,
    "\n  query TreeSearch($name: String, $code: String, $withSites: Boolean!) {\n    regions(first: 10, where: { nameContains: $name, codeHasPrefix: $code }, orderBy: [{ field: CODE }]) {\n      edges {\n        node {\n          id\n          code\n          name\n          level\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n    sites(first: 10, where: { nameContains: $name }) @include(if: $withSites) {\n      edges {\n        node {\n          id\n          name\n          region {\n            code\n            name\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.TreeSearchDocument,
    "\n  fragment AccountLabel on Account {\n    id\n    role\n    status\n    disabledReason\n    disabledAt\n    sector\n    scopeRegion {\n      id\n      code\n      name\n    }\n    scopeSite {\n      id\n      name\n    }\n  }\n": typeof types.AccountLabelFragmentDoc,
    "\n  query Viewer {\n    viewer {\n      user {\n        id\n        name\n        phoneMasked\n      }\n      acting {\n        ...AccountLabel\n      }\n      accounts {\n        ...AccountLabel\n      }\n      permissions {\n        object\n        action\n        reach\n        condition\n      }\n      pendingBindings {\n        ...AccountLabel\n      }\n    }\n  }\n": typeof types.ViewerDocument,
};
const documents: Documents = {
    "\n  mutation RefreshToken($refreshToken: String!) {\n    refreshToken(refreshToken: $refreshToken) {\n      accessToken\n      refreshToken\n      expiresAt\n      refreshExpiresAt\n    }\n  }\n": types.RefreshTokenDocument,
    "\n  mutation SwitchAccount($id: ID!) {\n    switchAccount(id: $id) {\n      acting {\n        id\n      }\n    }\n  }\n": types.SwitchAccountDocument,
    "\n  mutation Logout {\n    logout\n  }\n": types.LogoutDocument,
    "\n  mutation RequestReactivation($id: ID!, $note: String) {\n    requestReactivation(id: $id, note: $note) {\n      id\n      status\n      note\n      createdAt\n      decidedAt\n    }\n  }\n": types.RequestReactivationDocument,
    "\n  query ReactivationState($id: ID!) {\n    node(id: $id) {\n      ... on ReactivationRequest {\n        id\n        status\n        note\n        createdAt\n        decidedAt\n      }\n    }\n  }\n": types.ReactivationStateDocument,
    "\n  mutation Login($phone: String!, $password: String!) {\n    login(phone: $phone, password: $password) {\n      accessToken\n      refreshToken\n      expiresAt\n      refreshExpiresAt\n    }\n  }\n": types.LoginDocument,
    "\n  mutation MoveSite($id: ID!, $parentId: ID!) {\n    moveSite(id: $id, parentId: $parentId) {\n      id\n    }\n  }\n": types.MoveSiteDocument,
    "\n  mutation IssueSiteCode($site: ID!) {\n    issueSiteCode(site: $site, ttlMinutes: 1440) {\n      token\n      expiresAt\n    }\n  }\n": types.IssueSiteCodeDocument,
    "\n  fragment SiteDetails on Site {\n    id\n    name\n    category\n    verificationPolicy\n    isVehicle\n    sector\n    address\n    latitude\n    longitude\n    geofenceRadius\n    built\n    enabled\n    selfScanNeedsTemperature\n    unit {\n      id\n      name\n    }\n    region {\n      id\n      code\n      name\n      ancestors {\n        id\n        code\n        name\n      }\n    }\n    parent {\n      id\n      name\n      parent {\n        id\n        name\n        parent {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.SiteDetailsFragmentDoc,
    "\n  query SiteScanners {\n    accounts(first: 500, where: { roleIn: [SENIOR, INTERMEDIATE, ORDINARY] }, orderBy: [{ field: ROLE }]) {\n      edges {\n        node {\n          id\n          scopeSite {\n            id\n          }\n          role\n          status\n          disabledReason\n          lastActiveAt\n          holder {\n            id\n            name\n            phoneMasked\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.SiteScannersDocument,
    "\n  query SiteCategories {\n    siteCategories {\n      category\n      policy\n      isVehicle\n    }\n  }\n": types.SiteCategoriesDocument,
    "\n  query SitePage($id: ID!) {\n    node(id: $id) {\n      ... on Site {\n        ...SiteDetails\n        children(first: 100, orderBy: [{ field: NAME }]) {\n          totalCount\n          edges {\n            node {\n              id\n              name\n              category\n              enabled\n              built\n            }\n          }\n        }\n      }\n    }\n  }\n": types.SitePageDocument,
    "\n  query NewSiteParent($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Region {\n        id\n        code\n        name\n      }\n      ... on Site {\n        id\n        name\n        region {\n          code\n        }\n      }\n    }\n  }\n": types.NewSiteParentDocument,
    "\n  mutation CreateSite($input: CreateSiteInput!) {\n    createSite(input: $input) {\n      id\n      name\n    }\n  }\n": types.CreateSiteDocument,
    "\n  mutation UpdateSite($id: ID!, $input: UpdateSiteInput!) {\n    updateSite(id: $id, input: $input) {\n      id\n      name\n      category\n      verificationPolicy\n      isVehicle\n      sector\n      address\n      latitude\n      longitude\n      geofenceRadius\n      selfScanNeedsTemperature\n    }\n  }\n": types.UpdateSiteDocument,
    "\n  mutation SetSiteStatus($id: ID!, $built: Boolean, $enabled: Boolean) {\n    setSiteStatus(id: $id, built: $built, enabled: $enabled) {\n      id\n      built\n      enabled\n    }\n  }\n": types.SetSiteStatusDocument,
    "\n  query TreeRoots {\n    regions(first: 100, where: { level: PROVINCE }, orderBy: [{ field: CODE }]) {\n      edges {\n        node {\n          ...TreeRegion\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.TreeRootsDocument,
    "\n  fragment TreeRegion on Region {\n    id\n    code\n    name\n    level\n    childCount\n    siteCount\n  }\n": types.TreeRegionFragmentDoc,
    "\n  fragment TreeSite on Site {\n    id\n    name\n    category\n    enabled\n    children {\n      totalCount\n    }\n  }\n": types.TreeSiteFragmentDoc,
    "\n  query TreeRegionChildren($id: ID!, $after: Cursor) {\n    node(id: $id) {\n      ... on Region {\n        id\n        children(first: 100, after: $after, orderBy: [{ field: CODE }]) {\n          edges {\n            node {\n              ...TreeRegion\n            }\n          }\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n        }\n      }\n    }\n  }\n": types.TreeRegionChildrenDocument,
    "\n  query TreeRegionSites($id: ID!, $after: Cursor) {\n    node(id: $id) {\n      ... on Region {\n        id\n        sites(first: 100, after: $after, orderBy: [{ field: NAME }]) {\n          edges {\n            node {\n              ...TreeSite\n              parent {\n                id\n              }\n            }\n          }\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n        }\n      }\n    }\n  }\n": types.TreeRegionSitesDocument,
    "\n  query TreeSiteChildren($id: ID!, $after: Cursor) {\n    node(id: $id) {\n      ... on Site {\n        id\n        children(first: 100, after: $after, orderBy: [{ field: NAME }]) {\n          edges {\n            node {\n              ...TreeSite\n            }\n          }\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n        }\n      }\n    }\n  }\n": types.TreeSiteChildrenDocument,
    "\n  query TreeRegion($code: String!) {\n    regionByCode(code: $code) {\n      id\n      code\n      name\n      level\n      childCount\n      siteCount\n      population\n      registrationTarget\n      ancestors {\n        id\n        code\n        name\n      }\n    }\n  }\n": types.TreeRegionDocument,
    "\n  query TreeSiteNode($id: ID!) {\n    node(id: $id) {\n      ... on Site {\n        ...SiteDetails\n      }\n    }\n  }\n": types.TreeSiteNodeDocument,
    "\n  query TreeSearch($name: String, $code: String, $withSites: Boolean!) {\n    regions(first: 10, where: { nameContains: $name, codeHasPrefix: $code }, orderBy: [{ field: CODE }]) {\n      edges {\n        node {\n          id\n          code\n          name\n          level\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n    sites(first: 10, where: { nameContains: $name }) @include(if: $withSites) {\n      edges {\n        node {\n          id\n          name\n          region {\n            code\n            name\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.TreeSearchDocument,
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
export function graphql(source: "\n  mutation MoveSite($id: ID!, $parentId: ID!) {\n    moveSite(id: $id, parentId: $parentId) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation MoveSite($id: ID!, $parentId: ID!) {\n    moveSite(id: $id, parentId: $parentId) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation IssueSiteCode($site: ID!) {\n    issueSiteCode(site: $site, ttlMinutes: 1440) {\n      token\n      expiresAt\n    }\n  }\n"): (typeof documents)["\n  mutation IssueSiteCode($site: ID!) {\n    issueSiteCode(site: $site, ttlMinutes: 1440) {\n      token\n      expiresAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SiteDetails on Site {\n    id\n    name\n    category\n    verificationPolicy\n    isVehicle\n    sector\n    address\n    latitude\n    longitude\n    geofenceRadius\n    built\n    enabled\n    selfScanNeedsTemperature\n    unit {\n      id\n      name\n    }\n    region {\n      id\n      code\n      name\n      ancestors {\n        id\n        code\n        name\n      }\n    }\n    parent {\n      id\n      name\n      parent {\n        id\n        name\n        parent {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment SiteDetails on Site {\n    id\n    name\n    category\n    verificationPolicy\n    isVehicle\n    sector\n    address\n    latitude\n    longitude\n    geofenceRadius\n    built\n    enabled\n    selfScanNeedsTemperature\n    unit {\n      id\n      name\n    }\n    region {\n      id\n      code\n      name\n      ancestors {\n        id\n        code\n        name\n      }\n    }\n    parent {\n      id\n      name\n      parent {\n        id\n        name\n        parent {\n          id\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SiteScanners {\n    accounts(first: 500, where: { roleIn: [SENIOR, INTERMEDIATE, ORDINARY] }, orderBy: [{ field: ROLE }]) {\n      edges {\n        node {\n          id\n          scopeSite {\n            id\n          }\n          role\n          status\n          disabledReason\n          lastActiveAt\n          holder {\n            id\n            name\n            phoneMasked\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query SiteScanners {\n    accounts(first: 500, where: { roleIn: [SENIOR, INTERMEDIATE, ORDINARY] }, orderBy: [{ field: ROLE }]) {\n      edges {\n        node {\n          id\n          scopeSite {\n            id\n          }\n          role\n          status\n          disabledReason\n          lastActiveAt\n          holder {\n            id\n            name\n            phoneMasked\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SiteCategories {\n    siteCategories {\n      category\n      policy\n      isVehicle\n    }\n  }\n"): (typeof documents)["\n  query SiteCategories {\n    siteCategories {\n      category\n      policy\n      isVehicle\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SitePage($id: ID!) {\n    node(id: $id) {\n      ... on Site {\n        ...SiteDetails\n        children(first: 100, orderBy: [{ field: NAME }]) {\n          totalCount\n          edges {\n            node {\n              id\n              name\n              category\n              enabled\n              built\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query SitePage($id: ID!) {\n    node(id: $id) {\n      ... on Site {\n        ...SiteDetails\n        children(first: 100, orderBy: [{ field: NAME }]) {\n          totalCount\n          edges {\n            node {\n              id\n              name\n              category\n              enabled\n              built\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NewSiteParent($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Region {\n        id\n        code\n        name\n      }\n      ... on Site {\n        id\n        name\n        region {\n          code\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query NewSiteParent($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Region {\n        id\n        code\n        name\n      }\n      ... on Site {\n        id\n        name\n        region {\n          code\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateSite($input: CreateSiteInput!) {\n    createSite(input: $input) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation CreateSite($input: CreateSiteInput!) {\n    createSite(input: $input) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateSite($id: ID!, $input: UpdateSiteInput!) {\n    updateSite(id: $id, input: $input) {\n      id\n      name\n      category\n      verificationPolicy\n      isVehicle\n      sector\n      address\n      latitude\n      longitude\n      geofenceRadius\n      selfScanNeedsTemperature\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateSite($id: ID!, $input: UpdateSiteInput!) {\n    updateSite(id: $id, input: $input) {\n      id\n      name\n      category\n      verificationPolicy\n      isVehicle\n      sector\n      address\n      latitude\n      longitude\n      geofenceRadius\n      selfScanNeedsTemperature\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetSiteStatus($id: ID!, $built: Boolean, $enabled: Boolean) {\n    setSiteStatus(id: $id, built: $built, enabled: $enabled) {\n      id\n      built\n      enabled\n    }\n  }\n"): (typeof documents)["\n  mutation SetSiteStatus($id: ID!, $built: Boolean, $enabled: Boolean) {\n    setSiteStatus(id: $id, built: $built, enabled: $enabled) {\n      id\n      built\n      enabled\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TreeRoots {\n    regions(first: 100, where: { level: PROVINCE }, orderBy: [{ field: CODE }]) {\n      edges {\n        node {\n          ...TreeRegion\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query TreeRoots {\n    regions(first: 100, where: { level: PROVINCE }, orderBy: [{ field: CODE }]) {\n      edges {\n        node {\n          ...TreeRegion\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TreeRegion on Region {\n    id\n    code\n    name\n    level\n    childCount\n    siteCount\n  }\n"): (typeof documents)["\n  fragment TreeRegion on Region {\n    id\n    code\n    name\n    level\n    childCount\n    siteCount\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TreeSite on Site {\n    id\n    name\n    category\n    enabled\n    children {\n      totalCount\n    }\n  }\n"): (typeof documents)["\n  fragment TreeSite on Site {\n    id\n    name\n    category\n    enabled\n    children {\n      totalCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TreeRegionChildren($id: ID!, $after: Cursor) {\n    node(id: $id) {\n      ... on Region {\n        id\n        children(first: 100, after: $after, orderBy: [{ field: CODE }]) {\n          edges {\n            node {\n              ...TreeRegion\n            }\n          }\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query TreeRegionChildren($id: ID!, $after: Cursor) {\n    node(id: $id) {\n      ... on Region {\n        id\n        children(first: 100, after: $after, orderBy: [{ field: CODE }]) {\n          edges {\n            node {\n              ...TreeRegion\n            }\n          }\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TreeRegionSites($id: ID!, $after: Cursor) {\n    node(id: $id) {\n      ... on Region {\n        id\n        sites(first: 100, after: $after, orderBy: [{ field: NAME }]) {\n          edges {\n            node {\n              ...TreeSite\n              parent {\n                id\n              }\n            }\n          }\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query TreeRegionSites($id: ID!, $after: Cursor) {\n    node(id: $id) {\n      ... on Region {\n        id\n        sites(first: 100, after: $after, orderBy: [{ field: NAME }]) {\n          edges {\n            node {\n              ...TreeSite\n              parent {\n                id\n              }\n            }\n          }\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TreeSiteChildren($id: ID!, $after: Cursor) {\n    node(id: $id) {\n      ... on Site {\n        id\n        children(first: 100, after: $after, orderBy: [{ field: NAME }]) {\n          edges {\n            node {\n              ...TreeSite\n            }\n          }\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query TreeSiteChildren($id: ID!, $after: Cursor) {\n    node(id: $id) {\n      ... on Site {\n        id\n        children(first: 100, after: $after, orderBy: [{ field: NAME }]) {\n          edges {\n            node {\n              ...TreeSite\n            }\n          }\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TreeRegion($code: String!) {\n    regionByCode(code: $code) {\n      id\n      code\n      name\n      level\n      childCount\n      siteCount\n      population\n      registrationTarget\n      ancestors {\n        id\n        code\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  query TreeRegion($code: String!) {\n    regionByCode(code: $code) {\n      id\n      code\n      name\n      level\n      childCount\n      siteCount\n      population\n      registrationTarget\n      ancestors {\n        id\n        code\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TreeSiteNode($id: ID!) {\n    node(id: $id) {\n      ... on Site {\n        ...SiteDetails\n      }\n    }\n  }\n"): (typeof documents)["\n  query TreeSiteNode($id: ID!) {\n    node(id: $id) {\n      ... on Site {\n        ...SiteDetails\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TreeSearch($name: String, $code: String, $withSites: Boolean!) {\n    regions(first: 10, where: { nameContains: $name, codeHasPrefix: $code }, orderBy: [{ field: CODE }]) {\n      edges {\n        node {\n          id\n          code\n          name\n          level\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n    sites(first: 10, where: { nameContains: $name }) @include(if: $withSites) {\n      edges {\n        node {\n          id\n          name\n          region {\n            code\n            name\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query TreeSearch($name: String, $code: String, $withSites: Boolean!) {\n    regions(first: 10, where: { nameContains: $name, codeHasPrefix: $code }, orderBy: [{ field: CODE }]) {\n      edges {\n        node {\n          id\n          code\n          name\n          level\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n    sites(first: 10, where: { nameContains: $name }) @include(if: $withSites) {\n      edges {\n        node {\n          id\n          name\n          region {\n            code\n            name\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
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