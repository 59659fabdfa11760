package com.systemtrader.credentials;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Captures the log events of a logger and the loggers below it while open. */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Level previous;

    /** Of this package, every level. */
    LogCapture() {
        this("com.systemtrader.credentials", Level.TRACE);
    }

    /** Of {@code loggerName} ({@code Logger.ROOT_LOGGER_NAME} for every logger), from {@code level} up. */
    public LogCapture(String loggerName, Level level) {
        logger = (Logger) LoggerFactory.getLogger(loggerName);
        previous = logger.getLevel();
        logger.setLevel(level);
        appender.start();
        logger.addAppender(appender);
    }

    /** Each event as level, message, arguments and throwable messages. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        for (ILoggingEvent e : List.copyOf(appender.list)) {
            StringBuilder b = new StringBuilder(e.getLevel() + " " + e.getFormattedMessage());
            if (e.getArgumentArray() != null) {
                for (Object a : e.getArgumentArray()) b.append(" | ").append(a);
            }
            for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                b.append(" | ").append(t.getMessage());
            }
            out.add(b.toString());
        }
        return out;
    }

    List<String> at(Level level) {
        return List.copyOf(appender.list).stream().filter(e -> e.getLevel() == level)
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(previous);
    }
}
