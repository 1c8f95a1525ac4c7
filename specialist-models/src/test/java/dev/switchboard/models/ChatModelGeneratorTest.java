package dev.switchboard.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatModelGeneratorTest {

    private static final GenerationRequest REQUEST = new GenerationRequest(
            "  And how long is the link valid?  ",
            List.of(new Passage("kb-12#0", "Resetting your password", "Tap Forgot password? on the sign-in screen.\n", 4.2),
                    new Passage("kb-40#2", "", "Reset links expire after 30 minutes.", 3.1)),
            List.of(ChatTurn.user("I forgot my password"), ChatTurn.assistant("I can help with that."),
                    ChatTurn.user("")));

    @Test
    void systemPromptAsksForGroundedCitedAnswers() {
        List<ChatMessage> messages = ChatModelGenerator.messages(REQUEST);

        SystemMessage system = assertInstanceOf(SystemMessage.class, messages.get(0));
        assertTrue(system.text().contains("using only the numbered help-center passages"), system.text());
        assertTrue(system.text().contains("in square brackets, like [1] or [2]"), system.text());
        assertTrue(system.text().contains("If the passages do not answer the question"), system.text());
    }

    @Test
    void historyFollowsAsUserAndAssistantMessagesSkippingEmptyTurns() {
        List<ChatMessage> messages = ChatModelGenerator.messages(REQUEST);

        assertEquals(4, messages.size());
        assertEquals("I forgot my password", assertInstanceOf(UserMessage.class, messages.get(1)).singleText());
        assertEquals("I can help with that.", assertInstanceOf(AiMessage.class, messages.get(2)).text());
    }

    @Test
    void lastMessageNumbersThePassagesInRankOrderThenAsksTheQuestion() {
        List<ChatMessage> messages = ChatModelGenerator.messages(REQUEST);

        UserMessage last = assertInstanceOf(UserMessage.class, messages.get(messages.size() - 1));
        assertEquals("""
                Passages:

                [1] Resetting your password
                Tap Forgot password? on the sign-in screen.

                [2] Reset links expire after 30 minutes.

                Question: And how long is the link valid?""", last.singleText());
    }
}
