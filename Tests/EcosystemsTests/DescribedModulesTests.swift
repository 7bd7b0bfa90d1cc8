import Ecosystems
import GuardKit
import Testing

/// Modules that list their programs beside their descriptions (so that dispatching builds none) must list
/// exactly what the descriptions claim.
@Test(
    "a described module's programs are its descriptions' programs and launchers",
    arguments: builtInEcosystems.compactMap { $0 as? any DescribedEcosystem }.map(\.id))
func describedPrograms(id: String) throws {
    let module = try #require(builtInEcosystems.first { $0.id == id } as? any DescribedEcosystem)
    let described = module.descriptions.flatMap { $0.programs + $0.launchers.map(\.interpreter) }
    #expect(Set(module.programs) == Set(described))
}
