/// The features enabled in one workspace: an element of GET /me/features.
public struct WorkspaceFeatures: Codable, Sendable, Hashable {
    public var features: [Feature]?
    public var workspaceID: Int64?

    public init(
        features: [Feature]? = nil,
        workspaceID: Int64? = nil
    ) {
        self.features = features
        self.workspaceID = workspaceID
    }

    enum CodingKeys: String, CodingKey {
        case features
        case workspaceID = "workspace_id"
    }

    /// One feature flag of a workspace.
    public struct Feature: Codable, Sendable, Hashable {
        public var enabled: Bool?
        public var featureID: Int64?
        public var name: String?

        public init(
            enabled: Bool? = nil,
            featureID: Int64? = nil,
            name: String? = nil
        ) {
            self.enabled = enabled
            self.featureID = featureID
            self.name = name
        }

        enum CodingKeys: String, CodingKey {
            case enabled
            case featureID = "feature_id"
            case name
        }
    }
}
