// The GraphQL operations of /alerts and /tasks.
import { graphql } from '../../gql';

graphql(`
  fragment AlertRow on Alert {
    id
    kind
    place
    sector
    nameMasked
    idNumberMasked
    colour
    temperature
    status
    note
    pushed
    raisedAt
    updatedAt
    reasons
  }
`);

graphql(`
  fragment AlertStepRow on AlertStep {
    from
    to
    assigneeId
    byAccountId
    note
    at
  }
`);

export const AlertsDocument = graphql(`
  query Alerts($where: AlertWhereInput, $after: Cursor) {
    alerts(first: 50, after: $after, where: $where, orderBy: [{ field: RAISED_AT, direction: DESC }]) {
      edges {
        node {
          ...AlertRow
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const AlertRaisedDocument = graphql(`
  subscription AlertRaised($scope: ID) {
    alertRaised(scope: $scope) {
      ...AlertRow
    }
  }
`);

export const AlertDetailDocument = graphql(`
  query AlertDetail($id: ID!) {
    node(id: $id) {
      __typename
      ... on Alert {
        ...AlertRow
        site {
          id
          name
          address
        }
        steps {
          ...AlertStepRow
        }
        assignees {
          id
          name
          phoneMasked
          region {
            id
            name
          }
        }
      }
    }
  }
`);

export const HandleAlertDocument = graphql(`
  mutation HandleAlert($input: HandleAlertInput!) {
    handleAlert(input: $input) {
      ...AlertRow
      steps {
        ...AlertStepRow
      }
    }
  }
`);

export const AlertPausesDocument = graphql(`
  query AlertPauses {
    alertPauses {
      reason
      at
      region {
        id
        name
        code
      }
    }
  }
`);

export const PauseAlertsDocument = graphql(`
  mutation PauseAlerts($region: ID!, $paused: Boolean!, $reason: String) {
    pauseAlerts(region: $region, paused: $paused, reason: $reason)
  }
`);

export const ScopeRegionsDocument = graphql(`
  query AlertScopeRegions($where: RegionWhereInput) {
    regions(first: 30, where: $where, orderBy: [{ field: CODE }]) {
      edges {
        node {
          id
          code
          name
          level
        }
      }
    }
  }
`);

export const MyTasksDocument = graphql(`
  query MyTasks($where: AlertWhereInput) {
    alerts(first: 50, where: $where, orderBy: [{ field: RAISED_AT, direction: DESC }]) {
      edges {
        node {
          ...AlertRow
          person {
            id
            nameMasked
            addressMasked
            phoneMasked
          }
          steps {
            ...AlertStepRow
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const AlertContactDocument = graphql(`
  query AlertContact($id: ID!) {
    node(id: $id) {
      __typename
      ... on Alert {
        id
        contact {
          phone
          phoneMasked
          address
          addressMasked
        }
      }
    }
  }
`);
