using Shatter.Cli;
using Spectre.Console;

return ShatterApp.Run(args, AnsiConsole.Console, Console.Error);
