import GuardKit

// easy_install and conda/mamba/micromamba as data (SPEC §13): their options, commands and where each writes,
// read by the generic judge. What stays code is Python's own: which environment an interpreter belongs to
// (a venv's pyvenv.cfg, a conda environment's conda-meta), as location sources, and the fixes, which name the
// project's venv or conda environment.

extension PythonCommand {
    /// The environment the program's own interpreter belongs to (`easy_install`, or the interpreter running
    /// `-m easy_install`): a venv or a named conda environment is one of its own; anything else is global.
    static let interpreterEnvironment = CustomLocation("interpreter") { query in
        let reader = PythonCommand(module: Python(), invocation: query.invocation, context: query.context)
        let word = query.invocation.arguments[0].text
        return CustomResolution(isolated: reader.isolated(reader.environment(ofExecutable: reader.resolve(word))))
    }

    /// An environment of its own, described for reasons; `nil` for a global one.
    func isolated(_ environment: PythonEnvironment) -> String? {
        switch environment {
        case .venv(let root): "the virtual environment \(display(root))"
        case .condaEnvironment(let root): "the conda environment \(display(root))"
        case .global: nil
        }
    }

    // MARK: easy_install

    /// setuptools' easy_install (distutils' getopt, so a unique prefix of a long option stands for it): one
    /// command that installs into the site-packages of the interpreter it runs with. With nothing to install
    /// it stops with a usage error.
    static let easyInstallDescription = PackageManagerDescription(
        name: "easy_install", programs: ["easy_install"], style: .optparse,
        commands: [
            CommandDescription(
                "easy_install", action: .installs,
                options: [
                    DescribedOption("-h", "--help", role: .help), DescribedOption("--version", role: .help),
                    DescribedOption("-n", "--dry-run", role: .dryRun), DescribedOption("-v", "--verbose"),
                    DescribedOption("-q", "--quiet"), DescribedOption("--prefix", value: true),
                    DescribedOption("-z", "--zip-ok"), DescribedOption("-m", "--multi-version"),
                    DescribedOption("-U", "--upgrade"), DescribedOption("-d", "--install-dir", value: true),
                    DescribedOption("-s", "--script-dir", value: true), DescribedOption("-x", "--exclude-scripts"),
                    DescribedOption("-a", "--always-copy"), DescribedOption("-i", "--index-url", value: true),
                    DescribedOption("-f", "--find-links", value: true),
                    DescribedOption("-b", "--build-directory", value: true),
                    DescribedOption("-O", "--optimize", value: true), DescribedOption("--record", value: true),
                    DescribedOption("-Z", "--always-unzip"), DescribedOption("-S", "--site-dirs", value: true),
                    DescribedOption("-e", "--editable"), DescribedOption("-N", "--no-deps"),
                    DescribedOption("-H", "--allow-hosts", value: true), DescribedOption("-l", "--local-snapshots-ok"),
                    DescribedOption("--no-find-links"), DescribedOption("--user"),
                ],
                target: Target(
                    globalWhen: [], globalLocation: [.custom(interpreterEnvironment)], globalRule: Python.easyInstall,
                    allowRule: Python.venv,
                    globalPlaceDescription: "the site-packages of a Python that is not a virtual environment"),
                writesWithoutOperandsOnly: [])
        ],
        dynamicRule: Python.dynamicCommand, soleCommand: "easy_install")

    /// easy_install: the generic judge; the fix installs the same packages with the project venv's pip.
    func easyInstall() -> Judgement {
        let outcome = DescribedJudge(ecosystem: module.id, descriptions: [Self.easyInstallDescription])
            .judge(invocation, in: context)
        var judgement = outcome.judgement
        let packages = outcome.command?.operands.map(\.text) ?? []
        for index in judgement.findings.indices where judgement.findings[index].verdict >= .ask {
            judgement.findings[index].fix = venvCommand("pip", ["install"] + packages)
        }
        return judgement
    }
}
