// Auto Scaling's default quotas per account and region (AWS's documented defaults).
export const limits = {
  groups: 500,
  launchConfigurations: 200,
  /** Lifecycle hooks per group. */
  hooksPerGroup: 50,
  /** SNS notification configurations per group. */
  notificationsPerGroup: 10,
  /** Tags per group. */
  tagsPerGroup: 50,
}
