import TogglKit
import TogglStore

/// The columns each command shows. `--json` prints every field; these are the ones a person
/// scans for, and a script can cut from CSV.
extension Listing {
    private typealias C = Column

    static func user(_ user: User) -> Listing {
        var listing = Listing([
            C(title: "id", key: "id"), C(title: "name", key: "fullname"), C(title: "email", key: "email"),
            C(title: "timezone", key: "timezone"), C(title: "week begins", key: "beginning_of_week"),
            C(title: "workspace", key: "default_workspace_id"), C(title: "country", key: "country_id"),
            C(title: "created", key: "created_at"), C(title: "updated", key: "at"),
        ], isRecord: true)
        listing.append([
            .integer(user.id), .text(user.fullname), .text(user.email), .text(user.timezone),
            user.beginningOfWeek.map { .labelled(shown: weekday($0), value: String($0)) } ?? .text(nil),
            .integer(user.defaultWorkspaceID), .integer(user.countryID), .time(user.createdAt), .time(user.at),
        ])
        return listing
    }

    static func projects(_ projects: [Project], clients: [Client]) -> Listing {
        let clientNames = names(clients.map { ($0.id, $0.name) })
        var listing = Listing([
            C(title: "ID", key: "id"), C(title: "NAME", key: "name", flexible: true),
            C(title: "CLIENT", key: "client", flexible: true), C(title: "WORKSPACE", key: "workspace_id"),
            C(title: "ACTIVE", key: "active"),
        ])
        for project in projects {
            let clientID = project.clientID ?? project.cid
            listing.append([
                .integer(project.id), .text(project.name), .text(clientID.flatMap { clientNames[$0] }),
                .integer(project.workspaceID ?? project.wid), .flag(project.active),
            ], dimmed: project.active == false)
        }
        return listing
    }

    static func clients(_ clients: [Client]) -> Listing {
        var listing = Listing([
            C(title: "ID", key: "id"), C(title: "NAME", key: "name", flexible: true),
            C(title: "WORKSPACE", key: "wid"), C(title: "ARCHIVED", key: "archived"),
        ])
        for client in clients {
            listing.append([.integer(client.id), .text(client.name), .integer(client.wid), .flag(client.archived)],
                           dimmed: client.archived == true)
        }
        return listing
    }

    static func tags(_ tags: [TogglTag]) -> Listing {
        var listing = Listing([
            C(title: "ID", key: "id"), C(title: "NAME", key: "name", flexible: true), C(title: "WORKSPACE", key: "workspace_id"),
        ])
        for tag in tags { listing.append([.integer(tag.id), .text(tag.name), .integer(tag.workspaceID)]) }
        return listing
    }

    static func tasks(_ tasks: [TogglTask], projects: [Project]) -> Listing {
        let projectNames = names(projects.map { ($0.id, $0.name) })
        var listing = Listing([
            C(title: "ID", key: "id"), C(title: "NAME", key: "name", flexible: true),
            C(title: "PROJECT", key: "project", flexible: true), C(title: "ACTIVE", key: "active"),
            C(title: "TRACKED", key: "tracked_seconds", alignment: .right),
        ])
        for task in tasks {
            let project = task.projectName ?? task.projectID.flatMap { projectNames[$0] }
            // The API's `tracked_seconds` holds milliseconds; CSV gives seconds, like its title says.
            let tracked = task.trackedMilliseconds.map { $0 / 1000 }
            listing.append([.integer(task.id), .text(task.name), .text(project), .flag(task.active), .seconds(tracked)],
                           dimmed: task.active == false)
        }
        return listing
    }

    static func workspaces(_ workspaces: [Workspace]) -> Listing {
        var listing = Listing([
            C(title: "ID", key: "id"), C(title: "NAME", key: "name", flexible: true),
            C(title: "ORGANIZATION", key: "organization_id"), C(title: "ROLE", key: "role"),
            C(title: "ADMIN", key: "admin"), C(title: "PREMIUM", key: "premium"),
        ])
        for workspace in workspaces {
            listing.append([
                .integer(workspace.id), .text(workspace.name), .integer(workspace.organizationID),
                .text(workspace.role), .flag(workspace.admin), .flag(workspace.premium),
            ])
        }
        return listing
    }

    static func timeEntries(_ entries: [TimeEntry], projects: [Project]) -> Listing {
        let projectNames = names(projects.map { ($0.id, $0.name) })
        var listing = Listing([
            C(title: "ID", key: "id"), C(title: "START (UTC)", key: "start"),
            C(title: "DURATION", key: "duration", alignment: .right),
            C(title: "PROJECT", key: "project", flexible: true), C(title: "DESCRIPTION", key: "description", flexible: true),
        ])
        for entry in entries {
            let projectID = entry.projectID ?? entry.pid
            let project = entry.projectName ?? projectID.flatMap { projectNames[$0] }
            listing.append([.integer(entry.id), .time(entry.start), .seconds(entry.duration), .text(project),
                            .text(entry.description)])
        }
        return listing
    }

    static func organizations(_ organizations: [Organization]) -> Listing {
        var listing = Listing([
            C(title: "ID", key: "id"), C(title: "NAME", key: "name", flexible: true),
            C(title: "PLAN", key: "pricing_plan_name", flexible: true), C(title: "USERS", key: "user_count", alignment: .right),
            C(title: "ADMIN", key: "admin"), C(title: "OWNER", key: "owner"),
        ])
        for organization in organizations {
            listing.append([
                .integer(organization.id), .text(organization.name), .text(organization.pricingPlanName),
                .integer(organization.userCount), .flag(organization.admin), .flag(organization.owner),
            ])
        }
        return listing
    }

    static func features(_ workspaces: [WorkspaceFeatures]) -> Listing {
        var listing = Listing([
            C(title: "WORKSPACE", key: "workspace_id"), C(title: "FEATURE", key: "feature_id"),
            C(title: "NAME", key: "name", flexible: true), C(title: "ENABLED", key: "enabled"),
        ])
        for workspace in workspaces {
            for feature in workspace.features ?? [] {
                listing.append([.integer(workspace.workspaceID), .integer(feature.featureID), .text(feature.name),
                                .flag(feature.enabled)], dimmed: feature.enabled == false)
            }
        }
        return listing
    }

    static func location(_ location: Location?) -> Listing {
        var listing = Listing([
            C(title: "city", key: "city"), C(title: "state", key: "state"),
            C(title: "country", key: "country_name"), C(title: "code", key: "country_code"),
        ], isRecord: true)
        if let location {
            listing.append([.text(location.city), .text(location.state), .text(location.countryName), .text(location.countryCode)])
        }
        return listing
    }

    static func quota(_ entries: [QuotaEntry]) -> Listing {
        var listing = Listing([
            C(title: "FOR", key: "organization_id"), C(title: "REMAINING", key: "remaining", alignment: .right),
            C(title: "TOTAL", key: "total", alignment: .right), C(title: "RESETS IN", key: "resets_in_secs", alignment: .right),
        ])
        for entry in entries {
            let scope: Cell = entry.organizationID.map { .labelled(shown: "organization \($0)", value: String($0)) }
                ?? .labelled(shown: "you", value: "")
            let reset: Cell = entry.resetsInSecs.map { .labelled(shown: TimeText.span(seconds: $0), value: String($0)) } ?? .text(nil)
            listing.append([scope, .integer(entry.remaining), .integer(entry.total), reset])
        }
        return listing
    }

    static func report(_ report: SyncReport) -> Listing {
        var listing = Listing([
            C(title: "COLLECTION", key: "collection"), C(title: "REQUESTED", key: "requested"),
            C(title: "UPSERTED", key: "upserted", alignment: .right), C(title: "DELETED", key: "deleted", alignment: .right),
        ])
        for collection in StoreCollection.allCases {
            let entry = report.collections[collection]
            let requested = entry?.requested ?? false
            listing.append([.text(collection.rawValue), .flag(requested), .integer(Int64(entry?.upserted ?? 0)),
                            .integer(Int64(entry?.deleted ?? 0))], dimmed: !requested)
        }
        return listing
    }

    private static func names(_ pairs: [(Int64?, String?)]) -> [Int64: String] {
        var names: [Int64: String] = [:]
        for case let (id?, name?) in pairs { names[id] = name }
        return names
    }

    private static func weekday(_ day: Int64) -> String {
        let days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
        return days.indices.contains(Int(day)) ? days[Int(day)] : String(day)
    }
}
