using LlamaSwap.Core.Configuration.Yaml;

namespace LlamaSwap.Core.Configuration.Loading;

/// <summary>
/// Reads <c>groups</c> (or <c>routing.router.settings.groups</c>, at <paramref name="path"/>) and adds
/// the implicit <c>(default)</c> group (reference 1.7).
/// </summary>
internal static class GroupReader
{
    public static Dictionary<string, GroupConfig> Read(ConfigNode? node, IReadOnlyCollection<string> modelIds, ValueReader values, string path = "groups")
    {
        var diagnostics = values.Diagnostics;
        var groups = new Dictionary<string, GroupConfig>(StringComparer.Ordinal);
        var groupOfModel = new Dictionary<string, string>(StringComparer.Ordinal);
        var known = modelIds.ToHashSet(StringComparer.Ordinal);

        foreach (var entry in values.Mapping(node, path)?.Entries ?? [])
        {
            var groupPath = ConfigPath.Child(path, entry.Key);
            var group = values.Mapping(entry.Value, groupPath);
            if (group is null)
            {
                continue;
            }

            KnownKeys.WarnAboutIgnoredKeys(group, groupPath, KnownKeys.Group, diagnostics);

            var membersPath = ConfigPath.Child(groupPath, "members");
            var members = new List<string>();
            var items = values.StringList(group["members"], membersPath) ?? [];
            for (var i = 0; i < items.Count; i++)
            {
                var member = items[i]?.Trim() ?? string.Empty;
                var memberPath = ConfigPath.Index(membersPath, i);
                if (!known.Contains(member))
                {
                    // llama-swap refuses this, but its own example config lists members it never
                    // defines; like an unknown preload name, the member is dropped with a warning.
                    diagnostics.Warning(memberPath, $"group {entry.Key} has unknown model member '{member}' (ignored)");
                }
                else if (members.Contains(member))
                {
                    diagnostics.Error(memberPath, $"duplicate model member {member} found in group: {entry.Key}");
                }
                else if (groupOfModel.TryGetValue(member, out var other))
                {
                    diagnostics.Error(memberPath, $"model member {member} is used in multiple groups: {other}, {entry.Key}");
                }
                else
                {
                    groupOfModel[member] = entry.Key;
                    members.Add(member);
                }
            }

            groups[entry.Key] = new GroupConfig
            {
                Id = entry.Key,
                Swap = values.Bool(group["swap"], ConfigPath.Child(groupPath, "swap")) ?? true,
                Exclusive = values.Bool(group["exclusive"], ConfigPath.Child(groupPath, "exclusive")) ?? true,
                Persistent = values.Bool(group["persistent"], ConfigPath.Child(groupPath, "persistent")) ?? false,
                Members = members,
            };
        }

        // Ungrouped models keep llama-swap's classic behaviour: one of them loaded at a time.
        var ungrouped = modelIds.Where(id => !groupOfModel.ContainsKey(id)).Order(StringComparer.Ordinal).ToList();
        if (ungrouped.Count > 0)
        {
            if (groups.ContainsKey(GroupConfig.DefaultGroupId))
            {
                diagnostics.Error(
                    ConfigPath.Child(path, GroupConfig.DefaultGroupId),
                    $"group name {GroupConfig.DefaultGroupId} is reserved for models that are in no group");
            }
            else
            {
                groups[GroupConfig.DefaultGroupId] = new GroupConfig { Id = GroupConfig.DefaultGroupId, Members = ungrouped };
            }
        }

        return groups;
    }
}
