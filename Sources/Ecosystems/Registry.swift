public import GuardKit

/// Every built-in ecosystem module, sorted by id. Adding an ecosystem is adding it here.
public let builtInEcosystems: [any Ecosystem] = [
    Deno(),
    DotNet(),
    Go(),
    Node(),
    Composer(),
    Python(),
    Ruby(),
    Rust(),
    System(),
]

/// The built-in modules with these ids, in registry order.
public func ecosystems(enabled ids: some Sequence<String>) -> [any Ecosystem] {
    let wanted = Set(ids)
    return builtInEcosystems.filter { wanted.contains($0.id) }
}
