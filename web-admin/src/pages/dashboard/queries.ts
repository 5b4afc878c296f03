// The GraphQL documents of /dashboard: the statistics API of issue 12
// (README "Statistics": Query.stats, registrationRanking, supervision, the
// XLSX export jobs) and the alertRaised subscription that refreshes it.
import { graphql } from '../../gql';

graphql(`
  fragment DashboardPlace on Region {
    id
    code
    name
    level
    childCount
    ancestors {
      id
      code
      name
    }
  }
`);

export const RegionByCodeDocument = graphql(`
  query DashboardRegionByCode($code: String!) {
    regionByCode(code: $code) {
      ...DashboardPlace
    }
  }
`);

export const NodeDocument = graphql(`
  query DashboardNode($id: ID!) {
    node(id: $id) {
      ... on Region {
        ...DashboardPlace
      }
      ... on Site {
        id
        name
        region {
          ...DashboardPlace
        }
      }
    }
  }
`);

export const StatsDocument = graphql(`
  query DashboardStats($where: StatsWhere!, $groupBy: [StatsDimension!]!, $measures: [StatsMeasure!]!) {
    stats(where: $where, groupBy: $groupBy, measures: $measures) {
      from
      to
      measures
      totals
      rows {
        node {
          id
          code
          name
          level
        }
        day
        category
        colour
        decision
        values
      }
    }
  }
`);

export const RankingDocument = graphql(`
  query DashboardRanking($under: ID!) {
    registrationRanking(under: $under) {
      rank
      region {
        id
        code
        name
        level
        childCount
        population
        registrationTarget
      }
      progress {
        date
        registered
        target
        rate
      }
    }
  }
`);

export const IdleSitesDocument = graphql(`
  query DashboardIdleSites($under: ID!) {
    supervision(under: $under) {
      date
      idleSites(first: 50) {
        totalCount
        hasNextPage
        nodes {
          id
          name
          category
          region {
            id
            name
          }
        }
      }
    }
  }
`);

graphql(`
  fragment DashboardExportJob on StatsExportJob {
    id
    kind
    status
    progress
    rows
    downloadUrl
    failure
  }
`);

export const StartStatsExportDocument = graphql(`
  mutation DashboardStartStatsExport($where: StatsWhere!, $groupBy: [StatsDimension!]!, $measures: [StatsMeasure!]!) {
    startStatsExport(where: $where, groupBy: $groupBy, measures: $measures) {
      ...DashboardExportJob
    }
  }
`);

export const StartDailyReportDocument = graphql(`
  mutation DashboardStartDailyReport($under: ID) {
    startDailyReport(under: $under) {
      ...DashboardExportJob
    }
  }
`);

export const ExportJobDocument = graphql(`
  query DashboardExportJobState($id: ID!) {
    statsExportJob(id: $id) {
      ...DashboardExportJob
    }
  }
`);

export const AlertRaisedDocument = graphql(`
  subscription DashboardAlertRaised($scope: ID) {
    alertRaised(scope: $scope) {
      id
    }
  }
`);

export const ProvincesDocument = graphql(`
  query DashboardProvinces {
    regions(first: 50, where: { level: PROVINCE }) {
      edges {
        node {
          id
          code
          name
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);
