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
export function graphql(source: "\n  fragment AccountLabel on Account {\n    id\n    role\n    status\n    disabledReason\n    disabledAt\n    sector\n    scopeRegion {\n      id\n      code\n      name\n    }\n    scopeSite {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment AccountLabel on Account {\n    id\n    role\n    status\n    disabledReason\n    disabledAt\n    sector\n    scopeRegion {\n      id\n      code\n      name\n    }\n    scopeSite {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    viewer {\n      user {\n        id\n        name\n        phoneMasked\n      }\n      acting {\n        ...AccountLabel\n      }\n      accounts {\n        ...AccountLabel\n      }\n      permissions {\n        object\n        action\n        reach\n        condition\n      }\n      pendingBindings {\n        ...AccountLabel\n      }\n    }\n  }\n"): (typeof documents)["\n  query Viewer {\n    viewer {\n      user {\n        id\n        name\n        phoneMasked\n      }\n      acting {\n        ...AccountLabel\n      }\n      accounts {\n        ...AccountLabel\n      }\n      permissions {\n        object\n        action\n        reach\n        condition\n      }\n      pendingBindings {\n        ...AccountLabel\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;