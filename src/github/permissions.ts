/**
 * Who may command the bot: a `/optimize` comment only runs for users who could push themselves.
 */
import type { GitHubApi } from './api.js'

const WRITE_ROLES = new Set(['admin', 'maintain', 'write'])

/**
 * True when `user` has admin, maintain or write access to the repository. A custom role counts by
 * its base permission (GitHub reports it in the legacy `permission` field).
 */
export async function hasWriteAccess(api: GitHubApi, user: string): Promise<boolean> {
  const { permission, roleName } = await api.getCollaboratorPermission(user)
  return WRITE_ROLES.has(permission) || (roleName !== undefined && WRITE_ROLES.has(roleName))
}
