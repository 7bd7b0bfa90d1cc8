import Testing

@testable import GuardKit

/// Expansions in bash's order, and their limits (issue 8). Behaviour is in ecosystems/shell/*.txt; these
/// check the exact words produced and that no input makes expansion super-linear.
@Suite struct Expansions {
    @Test func braceExpansionMakesWordsInBashOrder() {
        #expect(seen("probe {a,b}{1,2}") == ["probe a1 a2 b1 b2 @/work"])
        #expect(seen("probe x{1..3}") == ["probe x1 x2 x3 @/work"])
        #expect(seen("probe '{a,b}' {a} {}") == ["probe {a,b} {a} {} @/work"])
        #expect(seen("probe {a,{b,c}}d") == ["probe ad bd cd @/work"])
    }

    @Test func unquotedExpansionsSplitOnIFS() {
        #expect(seen("c='probe a  b'; $c") == ["probe a b @/work"])
        #expect(seen("c='probe a'; \"$c\"") == [])
        #expect(seen("IFS=,; c=probe,a,,b; $c") == ["probe a  b @/work"])
        #expect(seen("probe${IFS}x") == ["probe x @/work"])
    }

    @Test func arraysAndPositionalParameters() {
        #expect(seen("a=(probe 'x y' z); \"${a[@]}\"") == ["probe x y z @/work"])
        #expect(seen("a=(probe); a+=(q); ${a[*]} ${a[1]}") == ["probe q q @/work"])
        #expect(seen("set -- probe a; \"$@\" $#") == ["probe a 2 @/work"])
        #expect(seen("f() { probe \"$2\" \"$@\"; }; f a b") == ["probe b a b @/work"])
        #expect(seen("x=probe; declare -n r=x; $r") == ["probe @/work"])
        #expect(seen("read -r a b <<< 'probe c d'; $a $b") == ["probe c d @/work"])
        #expect(seen("printf -v c '%s' probe; $c") == ["probe @/work"])
    }

    @Test func braceBombsAreCapped() {
        let command = "probe " + String(repeating: "{a,b}", count: 40)
        let clock = ContinuousClock()
        let elapsed = clock.measure { _ = seen(command) }
        #expect(elapsed < .seconds(5))
        let long = "probe " + String(repeating: "{a,b", count: 100_000)
        #expect(clock.measure { _ = seen(long) } < .seconds(10))
    }

    @Test func recursiveAndBranchingFunctionsAreBounded() {
        var command = "f0() { probe; }; "
        for level in 1...30 { command += "f\(level)() { f\(level - 1); f\(level - 1); }; " }
        command += "f30"
        let clock = ContinuousClock()
        #expect(clock.measure { _ = seen(command) } < .seconds(10))
        #expect(clock.measure { _ = seen("f() { f; probe; }; f") } < .seconds(5))
    }

    @Test func coprocAndArithmeticRunTheirCommands() {
        #expect(seen("coproc w { probe a; }") == ["probe a @/work"])
        #expect(seen("echo $(( $(probe b) + 1 ))") == ["probe b @/work"])
        #expect(seen("(( $(probe c) ))") == ["probe c @/work"])
    }
}
