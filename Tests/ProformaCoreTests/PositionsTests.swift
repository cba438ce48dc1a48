import ProformaCore
import Testing

@Suite struct PositionsTests {
    @Test func namesTheFirstFewAndCountsTheRest() {
        #expect(Positions.list(["a.csv:2"], total: 1) == "a.csv:2")
        #expect(Positions.list(["a.csv:2", "a.csv:5"], total: 2) == "a.csv:2, a.csv:5")
        #expect(
            Positions.list(["a.csv:2", "a.csv:5", "b.csv:3", "b.csv:9"], total: 4)
                == "a.csv:2, a.csv:5, b.csv:3 and 1 more")
        #expect(Positions.list(["a.csv:2"], total: 40) == "a.csv:2 and 39 more")
        // A total below the positions given counts them.
        #expect(Positions.list(["a.csv:2", "a.csv:5"], total: 1) == "a.csv:2, a.csv:5")
        #expect(Positions.list([], total: 3) == "3 lines")
    }
}
