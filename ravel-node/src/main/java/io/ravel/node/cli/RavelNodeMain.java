package io.ravel.node.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Entry point of {@code ravel_node}: {@code start} and {@code kill} subcommands, plus help. A user
 * mistake prints one line on stderr and exits non-zero; nothing prints a stack trace.
 */
@Command(name = "ravel_node", subcommands = {StartCommand.class, KillCommand.class, RavelNodeMain.HelpCommand.class})
public final class RavelNodeMain implements Callable<Integer> {

    @CommandLine.Option(names = {"--help", "-h"}, usageHelp = true)
    boolean help;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(HelpText.ROOT);
        spec.commandLine().getOut().flush();
        return 0;
    }

    public static void main(String[] args) {
        int code = commandLine().execute(args);
        if (code != 0 || args.length == 0 || !"start".equals(args[0])) {
            System.exit(code);
        }
    }

    /** The configured command line (tests call {@code execute} on it with their own streams). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new RavelNodeMain());
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine cmd = e.getCommandLine();
            PrintWriter err = cmd.getErr();
            err.println(cmd.getCommandSpec().qualifiedName() + ": " + e.getMessage() + " (see --help)");
            err.flush();
            return 2;
        });
        cl.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            PrintWriter err = cmd.getErr();
            err.println(cmd.getCommandSpec().qualifiedName() + ": " + CliErrors.oneLine(e));
            err.flush();
            return 1;
        });
        custom(cl, HelpText.ROOT);
        custom(cl.getSubcommands().get("start"), HelpText.START);
        custom(cl.getSubcommands().get("kill"), HelpText.KILL);
        return cl;
    }

    private static void custom(CommandLine cl, String text) {
        cl.getHelpSectionMap().put("ravel", help -> text);
        cl.setHelpSectionKeys(List.of("ravel"));
    }

    /** {@code ravel_node help [command]} and {@code ravel_node h}. */
    @Command(name = "help", aliases = {"h"})
    static final class HelpCommand implements Callable<Integer> {

        @CommandLine.Parameters(arity = "0..1")
        String command;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (command == null) {
                out.print(HelpText.ROOT);
            } else if (command.equals("start")) {
                out.print(HelpText.START);
            } else if (command.equals("kill")) {
                out.print(HelpText.KILL);
            } else {
                spec.commandLine().getErr().println("ravel_node: no command '" + command + "' (commands: start, kill)");
                spec.commandLine().getErr().flush();
                return 2;
            }
            out.flush();
            return 0;
        }
    }
}
