/// The version `flowguard --version` prints and the gateway reports in `/` and `/openapi.json`.
public enum FlowGuardVersion {
    public static let current = "0.1.0"
}
