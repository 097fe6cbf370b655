// Users and groups: create/get/list/update/delete, group membership, user tags.
import type { OperationTable } from '../../service.ts'
import { iamErrors } from '../errors.ts'
import type { iamOperations, User } from '../generated/types.ts'
import { checkName, checkPath, checkTags, limits, mergeTags, removeTags, paginate, underPrefix } from '../names.ts'
import { type IamState, nameKey } from '../store.ts'
import { groupShape, newId, requireGroup, requireUser, userShape } from './common.ts'

export function userOperations(state: IamState): OperationTable<iamOperations> {
  const now = () => state.clock.now()
  return {
    CreateUser: (input, ctx) => {
      checkName('userName', input.UserName, limits.userName)
      const path = checkPath('path', input.Path)
      checkTags(input.Tags)
      const account = ctx.caller.account
      if (state.users.get(nameKey(account, input.UserName)) !== undefined) throw iamErrors.alreadyExists(`User with name ${input.UserName} already exists.`)
      const user = state.users.save(nameKey(account, input.UserName), {
        account, name: input.UserName, path, id: newId('AIDA', account), created: now(), tags: input.Tags ?? [], inline: {}, attached: [],
        ...(input.PermissionsBoundary !== undefined && { permissionsBoundary: input.PermissionsBoundary }),
      })
      return { User: userShape(user, true) }
    },
    // Without a name, GetUser answers for the caller: a user's key → that user; root credentials
    // (`test`, 12-digit keys) → the root user as AWS shows it (no UserName, UserId = the account);
    // a role session → AWS's ValidationError.
    GetUser: (input, ctx) => {
      if (input.UserName === undefined) {
        const key = state.accessKeys.get(ctx.caller.accessKeyId)
        if (key !== undefined) return { User: userShape(requireUser(state, key.account, key.userName), true) }
        const principal = state.directory.principal(ctx.caller.accessKeyId)
        if (principal !== undefined && !principal.arn.endsWith(':root')) {
          throw iamErrors.invalidInputValidation('Must specify userName when calling with non-User credentials')
        }
        const account = ctx.caller.account
        // AWS omits UserName for the root user, though the model marks it required.
        const root = { Path: '/', UserId: account, Arn: `arn:aws:iam::${account}:root`, CreateDate: new Date(0) } as Omit<User, 'UserName'>
        return { User: root as User }
      }
      return { User: userShape(requireUser(state, ctx.caller.account, input.UserName), true) }
    },
    ListUsers: (input, ctx) => {
      const users = state.users.values().filter((u) => u.account === ctx.caller.account && underPrefix(u.path, input.PathPrefix))
      const { page, ...rest } = paginate(users, input.Marker, input.MaxItems)
      return { Users: page.map((u) => userShape(u)), ...rest }
    },
    UpdateUser: (input, ctx) => {
      const user = requireUser(state, ctx.caller.account, input.UserName)
      const name = input.NewUserName ?? user.name
      if (input.NewUserName !== undefined) checkName('newUserName', input.NewUserName, limits.userName)
      const path = input.NewPath === undefined ? user.path : checkPath('newPath', input.NewPath)
      if (name.toLowerCase() !== user.name.toLowerCase() && state.users.get(nameKey(user.account, name)) !== undefined) {
        throw iamErrors.alreadyExists(`User with name ${name} already exists.`)
      }
      state.users.delete(nameKey(user.account, user.name))
      for (const group of state.groups.values().filter((g) => g.account === user.account && g.members.includes(user.name))) {
        group.members = group.members.map((m) => (m === user.name ? name : m))
        state.groups.save(nameKey(group.account, group.name), group)
      }
      for (const key of state.accessKeys.values().filter((k) => k.account === user.account && k.userName === user.name)) {
        key.userName = name
        state.accessKeys.save(key.id, key)
      }
      user.name = name
      user.path = path
      state.users.save(nameKey(user.account, name), user)
      for (const key of state.accessKeys.values().filter((k) => k.account === user.account && k.userName === name)) state.listKey(key)
    },
    DeleteUser: (input, ctx) => {
      const user = requireUser(state, ctx.caller.account, input.UserName)
      if (state.accessKeys.values().some((k) => k.account === user.account && k.userName === user.name)) {
        throw iamErrors.deleteConflict('Cannot delete entity, must delete access keys first.')
      }
      if (user.attached.length > 0) throw iamErrors.deleteConflict('Cannot delete entity, must detach all policies first.')
      if (Object.keys(user.inline).length > 0) throw iamErrors.deleteConflict('Cannot delete entity, must delete policies first.')
      if (state.groups.values().some((g) => g.account === user.account && g.members.includes(user.name))) {
        throw iamErrors.deleteConflict('Cannot delete entity, must remove users from group first.')
      }
      state.users.delete(nameKey(user.account, user.name))
    },
    TagUser: (input, ctx) => {
      const user = requireUser(state, ctx.caller.account, input.UserName)
      user.tags = mergeTags(user.tags, input.Tags)
      state.users.save(nameKey(user.account, user.name), user)
    },
    UntagUser: (input, ctx) => {
      const user = requireUser(state, ctx.caller.account, input.UserName)
      user.tags = removeTags(user.tags, input.TagKeys)
      state.users.save(nameKey(user.account, user.name), user)
    },
    ListUserTags: (input, ctx) => {
      const { page, ...rest } = paginate(requireUser(state, ctx.caller.account, input.UserName).tags, input.Marker, input.MaxItems)
      return { Tags: page, ...rest }
    },

    CreateGroup: (input, ctx) => {
      checkName('groupName', input.GroupName, limits.groupName)
      const path = checkPath('path', input.Path)
      const account = ctx.caller.account
      if (state.groups.get(nameKey(account, input.GroupName)) !== undefined) throw iamErrors.alreadyExists(`Group with name ${input.GroupName} already exists.`)
      const group = state.groups.save(nameKey(account, input.GroupName), {
        account, name: input.GroupName, path, id: newId('AGPA', account), created: now(), members: [], inline: {}, attached: [],
      })
      return { Group: groupShape(group) }
    },
    GetGroup: (input, ctx) => {
      const group = requireGroup(state, ctx.caller.account, input.GroupName)
      const members = group.members.flatMap((name) => {
        const user = state.users.get(nameKey(group.account, name))
        return user === undefined ? [] : [userShape(user)]
      })
      const { page, ...rest } = paginate(members, input.Marker, input.MaxItems)
      return { Group: groupShape(group), Users: page, ...rest }
    },
    ListGroups: (input, ctx) => {
      const groups = state.groups.values().filter((g) => g.account === ctx.caller.account && underPrefix(g.path, input.PathPrefix))
      const { page, ...rest } = paginate(groups, input.Marker, input.MaxItems)
      return { Groups: page.map(groupShape), ...rest }
    },
    UpdateGroup: (input, ctx) => {
      const group = requireGroup(state, ctx.caller.account, input.GroupName)
      const name = input.NewGroupName ?? group.name
      if (input.NewGroupName !== undefined) checkName('newGroupName', input.NewGroupName, limits.groupName)
      if (name.toLowerCase() !== group.name.toLowerCase() && state.groups.get(nameKey(group.account, name)) !== undefined) {
        throw iamErrors.alreadyExists(`Group with name ${name} already exists.`)
      }
      state.groups.delete(nameKey(group.account, group.name))
      group.name = name
      if (input.NewPath !== undefined) group.path = checkPath('newPath', input.NewPath)
      state.groups.save(nameKey(group.account, name), group)
    },
    DeleteGroup: (input, ctx) => {
      const group = requireGroup(state, ctx.caller.account, input.GroupName)
      if (group.members.length > 0) throw iamErrors.deleteConflict('Cannot delete entity, must remove users from group first.')
      if (group.attached.length > 0) throw iamErrors.deleteConflict('Cannot delete entity, must detach all policies first.')
      if (Object.keys(group.inline).length > 0) throw iamErrors.deleteConflict('Cannot delete entity, must delete policies first.')
      state.groups.delete(nameKey(group.account, group.name))
    },
    AddUserToGroup: (input, ctx) => {
      const group = requireGroup(state, ctx.caller.account, input.GroupName)
      const user = requireUser(state, ctx.caller.account, input.UserName)
      if (!group.members.includes(user.name)) group.members.push(user.name)
      state.groups.save(nameKey(group.account, group.name), group)
    },
    RemoveUserFromGroup: (input, ctx) => {
      const group = requireGroup(state, ctx.caller.account, input.GroupName)
      const user = requireUser(state, ctx.caller.account, input.UserName)
      if (!group.members.includes(user.name)) throw iamErrors.noSuchEntity(`User ${user.name} is not in group ${group.name}.`)
      group.members = group.members.filter((m) => m !== user.name)
      state.groups.save(nameKey(group.account, group.name), group)
    },
    ListGroupsForUser: (input, ctx) => {
      const user = requireUser(state, ctx.caller.account, input.UserName)
      const groups = state.groups.values().filter((g) => g.account === user.account && g.members.includes(user.name))
      const { page, ...rest } = paginate(groups, input.Marker, input.MaxItems)
      return { Groups: page.map(groupShape), ...rest }
    },
  }
}
