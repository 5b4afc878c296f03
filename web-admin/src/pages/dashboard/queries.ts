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

graphql(`
  fragment DashboardStatsPart on StatsResult {
    from
    to
    totals
    rows {
      day
      category
      colour
      decision
      values
    }
  }
`);

// Every analytics field of the dashboard in ONE request: the server admits
// few analytics requests at once (README "Overload protection": P/2 slots,
// one on two cores) and sheds the rest with OVERLOADED.
export const StatsDocument = graphql(`
  query DashboardStats($under: ID!, $period: StatsPeriod!, $sector: Sector) {
    daily: stats(where: { under: $under, period: $period, sector: $sector }, groupBy: [DAY, DECISION], measures: [SCANS, FEVERS]) {
      ...DashboardStatsPart
    }
    colours: stats(where: { under: $under, period: $period, sector: $sector }, groupBy: [COLOUR], measures: [SCANS]) {
      ...DashboardStatsPart
    }
    sites: stats(where: { under: $under, sector: $sector }, groupBy: [SITE_CATEGORY], measures: [SITES, SITES_BUILT, SITES_ENABLED]) {
      ...DashboardStatsPart
    }
    scanning: stats(where: { under: $under, period: TODAY, sector: $sector }, groupBy: [SITE_CATEGORY], measures: [SITES_SCANNING]) {
      ...DashboardStatsPart
    }
    alerts: stats(
      where: { under: $under, period: $period, sector: $sector }
      groupBy: [DAY]
      measures: [ALERTS_RAISED, ALERTS_VISITED, ALERTS_CLOSED, MEAN_VISIT_MINUTES]
    ) {
      ...DashboardStatsPart
    }
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
