import GuardKit
import Testing

/// The flat YAML reader gemrc and Bundler's config files are read with.
@Suite("YAML settings") struct YAMLSettingTests {
    @Test(arguments: [
        ("gem: --user-install\n", "gem", "--user-install"),
        (":gem: \"--user-install --no-document\"\n", "gem", "--user-install --no-document"),
        ("---\nBUNDLE_PATH: 'vendor/bundle'\r\n", "BUNDLE_PATH", "vendor/bundle"),
        ("install: --no-document # no docs\n", "install", "--no-document"),
        // The last one wins.
        ("gem: --a\ngem: --b\n", "gem", "--b"),
    ])
    func value(text: String, key: String, expected: String) {
        #expect(YAMLSetting.value(Array(text.utf8), key: key) == expected)
    }

    @Test(arguments: [
        // Nested mappings, lists, comments and other keys set nothing at the top.
        ("sources:\n  gem: --user-install\n", "gem"),
        ("# gem: --user-install\n", "gem"),
        ("gems: --user-install\n", "gem"),
        ("", "gem"),
    ])
    func none(text: String, key: String) {
        #expect(YAMLSetting.value(Array(text.utf8), key: key) == nil)
    }
}

/// OptionParser's optional values and its case-insensitive long names.
@Suite("Option grammar, Ruby's OptionParser") struct OptionParserGrammarTests {
    static func arguments(_ words: String...) -> [Argument] {
        words.enumerated().map { Argument($0.element, span: $0.offset..<($0.offset + 1)) }
    }

    @Test func optionalValueTakesTheNextWordUnlessItIsAnOption() {
        let grammar = OptionGrammar([
            .init("-g", "--file", optionalValue: true), .init("--no-document"),
        ])
        #expect(grammar.parse(Self.arguments("--file", "Gemfile")).value("--file")?.text == "Gemfile")
        #expect(grammar.parse(Self.arguments("-g", "gems.rb")).value("--file")?.text == "gems.rb")
        let flag = grammar.parse(Self.arguments("--file", "--no-document"))
        #expect(flag.has("--file") && flag.value("--file") == nil && flag.has("--no-document"))
        #expect(grammar.parse(Self.arguments("--file=x")).value("--file")?.text == "x")
    }

    @Test func longNamesMatchIgnoringCaseOnlyWhenAsked() {
        let options: [OptionGrammar.Option] = [.init("--HEAD"), .init("-i", "--install-dir", value: true)]
        let ignoring = OptionGrammar(options, abbreviations: true, ignoringCase: true)
        #expect(ignoring.parse(Self.arguments("--head")).has("--HEAD"))
        #expect(ignoring.parse(Self.arguments("--INSTALL", "/x")).value("--install-dir")?.text == "/x")
        let exact = OptionGrammar(options, abbreviations: true)
        #expect(!exact.parse(Self.arguments("--head")).has("--HEAD"))
    }
}
